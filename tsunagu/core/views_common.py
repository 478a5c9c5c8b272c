"""What form views share: applying one service from a posted form, with the outcome as a
message; a PDF sent inline."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm, Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tsunagu.core.errors import message_of


def problems_of(form: BaseForm) -> str:
    return " ".join(
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errors)}".strip(": ")
        for name, errors in form.errors.items()
    )


def apply_posted(
    request: HttpRequest,
    form: BaseForm,
    apply: Callable[[dict], object],
    *,
    done: str,
    back: str,
    **back_kwargs: object,
) -> HttpResponse:
    """Run ``apply(cleaned_data)`` if the form is valid; say ``done`` or what went wrong, and
    go back to the page ``back``."""
    try:
        if not form.is_valid():
            raise ValidationError("入力を確認してください。" + problems_of(form))
        apply(form.cleaned_data)
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, done)
    return redirect(back, **back_kwargs)


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def form_page(
    request: HttpRequest,
    form: Form,
    save: Callable[[dict], object],
    *,
    done: str,
    template: str,
    context: dict,
) -> HttpResponse:
    """A GET shows ``form``; a valid POST runs ``save(cleaned_data)`` and goes to the object
    (or URL) it returns; an error shows the form again with it."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, message_of(error))
        else:
            messages.success(request, done)
            return redirect(saved)
    return render(request, template, context | {"form": form})
