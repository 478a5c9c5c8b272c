/* Today's visits: a report is first kept on the phone (IndexedDB, through idb), then sent
   to the API with its idempotency key. Without a connection it waits, and goes when the
   connection returns (or the next time the page opens): never lost, never filed twice. */
(function () {
  "use strict";
  const app = document.getElementById("watch-app");
  if (!app || !window.idb) return;
  const TEXT = JSON.parse(document.getElementById("watch-texts").textContent);
  const API = app.dataset.api;
  const USER = app.dataset.user;
  const STORE = "outbox";
  const dbReady = idb.openDB("tsunagu-watch", 1, {
    upgrade(db) {
      db.createObjectStore(STORE, { keyPath: "key" });
    },
  });
  const connection = document.getElementById("connection");
  const outbox = document.getElementById("outbox");
  let sending = false;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(app.dataset.sw, { scope: "/" }).catch(() => {});
  }

  function newKey() {
    if (window.crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* The form's fields without their prefix ("a12-visited" → "visited"). */
  function fieldsOf(form) {
    const prefix = form.dataset.prefix ? form.dataset.prefix + "-" : "";
    const data = {};
    for (const [name, value] of new FormData(form)) {
      if (name === "csrfmiddlewaretoken") continue;
      data[name.startsWith(prefix) ? name.slice(prefix.length) : name] = value;
    }
    return data;
  }

  function showConnection(count) {
    const online = navigator.onLine;
    let text = online ? TEXT.online : TEXT.offline;
    if (count) text += " " + TEXT.unsent.replace("{n}", count);
    connection.textContent = text;
    connection.classList.toggle("offline", !online);
  }

  async function render() {
    const db = await dbReady;
    const mine = (await db.getAll(STORE)).filter((item) => item.user === USER);
    const list = outbox.querySelector("ul");
    list.replaceChildren(
      ...mine.map((item) => {
        const li = document.createElement("li");
        li.textContent = `${item.label} ${item.data.visit_on}:${item.problem || TEXT.waiting}`;
        if (item.problem) {
          li.classList.add("problem");
          const button = document.createElement("button");
          button.type = "button";
          button.className = "button-secondary";
          button.textContent = TEXT.delete;
          button.addEventListener("click", async () => {
            if (!confirm(TEXT.confirm_delete)) return;
            await db.delete(STORE, item.key);
            render();
          });
          li.append(" ", button);
        }
        return li;
      })
    );
    outbox.hidden = mine.length === 0;
    showConnection(mine.length);
  }

  function problemOf(body) {
    const errors = (body && body.errors) || {};
    return Object.values(errors).flat().map((e) => e.message).join(" ") || TEXT.failed;
  }

  /* Send what waits, oldest first; stop at the first network failure (still offline). */
  async function flush() {
    if (sending || !navigator.onLine) return render();
    sending = true;
    try {
      const db = await dbReady;
      const waiting = (await db.getAll(STORE))
        .filter((item) => item.user === USER && !item.problem)
        .sort((a, b) => a.written_at.localeCompare(b.written_at));
      for (const item of waiting) {
        let response;
        try {
          response = await fetch(API, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
            body: JSON.stringify({ ...item.data, key: item.key, assignment: item.assignment, written_at: item.written_at }),
          });
        } catch (error) {
          break; // no connection after all: keep it for later
        }
        if (response.ok) {
          await db.delete(STORE, item.key);
          markSent(item.assignment);
        } else if (response.status === 400 || response.status === 404) {
          item.problem = problemOf(await response.json().catch(() => null));
          await db.put(STORE, item);
        } else if (response.status === 401 || response.status === 403) {
          await render();
          return showExpired();
        } else {
          break; // the server is not answering well: try again later
        }
      }
    } finally {
      sending = false;
    }
    return render();
  }

  function showExpired() {
    connection.textContent = TEXT.expired;
    connection.classList.add("offline");
  }

  function markSent(assignment) {
    const card = document.getElementById(`visit-${assignment}`);
    if (!card) return;
    card.classList.add("visit-done");
    card.querySelector(".visit-sent").hidden = false;
  }

  function followVisited(form) {
    const visited = form.querySelector("input[name$='visited']:checked");
    const yes = !visited || visited.value === "1";
    form.querySelectorAll(".when-visited").forEach((el) => (el.hidden = !yes));
    form.querySelectorAll(".when-not-visited").forEach((el) => (el.hidden = yes));
  }

  document.querySelectorAll("form[data-watch-report]").forEach((form) => {
    followVisited(form);
    form.addEventListener("change", () => followVisited(form));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = fieldsOf(form);
      const key = data.key;
      delete data.key;
      const db = await dbReady;
      await db.put(STORE, {
        key,
        user: USER,
        assignment: form.dataset.assignment,
        label: form.dataset.label,
        data,
        written_at: new Date().toISOString(),
      });
      // A fresh form with a new key: the next report is another one.
      form.reset();
      form.querySelector("input[name$='key']").value = newKey();
      followVisited(form);
      form.closest("details").open = false;
      await flush();
    });
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", render);
  flush();
})();
