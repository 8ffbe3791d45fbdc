"""Checks that need no Odoo: manifest, XML and CSV files, and the zh_CN translation."""
import ast
import csv
import re
import sys
from pathlib import Path

from lxml import etree

errors = []


def check(addon: Path):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text(encoding="utf-8"))
    for key in ("name", "version", "license", "depends", "data"):
        if key not in manifest:
            errors.append(f"__manifest__.py: no {key!r}")
    if not re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", manifest.get("version", "")):
        errors.append("__manifest__.py: version is not 18.0.x.y.z")
    for listed in manifest.get("data", []) + manifest.get("demo", []):
        if not (addon / listed).is_file():
            errors.append(f"__manifest__.py lists {listed}, which does not exist")
    for path in sorted(addon.rglob("*.xml")):
        try:
            etree.parse(str(path))
        except etree.XMLSyntaxError as exc:
            errors.append(f"{path}: {exc}")
    for path in sorted(addon.rglob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        width = len(rows[0])
        errors.extend(f"{path}:{n}: {len(row)} columns, header has {width}"
                      for n, row in enumerate(rows[1:], 2) if len(row) != width)
    check_translations(addon)
    check_tour_words(addon)
    check_terms_extract(addon)


def po_entries(path: Path):
    """(msgid, msgstr) pairs of a .po file, skipping the header."""
    text = path.read_text(encoding="utf-8")
    entries = []
    for block in re.split(r"\n\s*\n", text):
        msgid = "".join(re.findall(r'"(.*)"', _section(block, "msgid")))
        msgstr = "".join(re.findall(r'"(.*)"', _section(block, "msgstr")))
        if msgid:
            entries.append((msgid, msgstr))
    return entries


def _section(block, keyword):
    match = re.search(rf"^{keyword} (.*?)(?=^msg|\Z)", block, re.M | re.S)
    return match.group(1) if match else ""


def check_translations(addon: Path):
    pot = addon / "i18n" / f"{addon.name}.pot"
    po = addon / "i18n" / "zh_CN.po"
    if not po.is_file() or not pot.is_file():
        errors.append(f"{addon.name}: i18n/{addon.name}.pot and i18n/zh_CN.po are both required")
        return
    translated = dict(po_entries(po))
    for msgid, _ in po_entries(pot):
        if not translated.get(msgid):
            errors.append(f"zh_CN.po: no translation for {msgid!r}")


def _term_pattern(term):
    """A .po term as a regex, its placeholders (%(name)s, %s) standing for any text."""
    return re.compile(".+?".join(map(re.escape, re.split(r"%\(\w+\)s|%s", term))))


def _begins(word, term):
    """The word is how a text made from the term begins, or the whole of it with its
    placeholders filled (a tour finds it with :contains)."""
    return term.startswith(word) or bool(_term_pattern(term).fullmatch(word))


def check_terms_extract(addon: Path):
    """Every Python file's terms can be extracted as Odoo's export does (babel evaluates each
    argument of a `_()` call: an f-string calling a function there fails the whole file, and its
    terms drop out of the template). Skipped where babel is not installed."""
    try:
        from babel.messages import extract  # noqa: PLC0415 (optional: Odoo's requirements bring it)
    except ImportError:
        return
    for path in sorted(addon.rglob("*.py")):
        with path.open("rb") as handle:
            try:
                list(extract.extract("python", handle, keywords={"_": None, "_lt": None}))
            except Exception as exc:  # noqa: BLE001 (any failure of the extractor is the finding)
                errors.append(f"{path}: its terms cannot be extracted for translation: {exc!r}")


def check_tour_words(addon: Path):
    """The browser tours run in 简体中文 and register the same steps in English (registerTours
    in static/tests/tours): the words of each language, the WORDS of a tour file, must be the
    same terms. A pair whose English word begins terms of zh_CN.po (or is one, placeholders
    filled) must begin the translation of one of them the same way; words typed by the tour
    begin no term and are left alone."""
    po = addon / "i18n" / "zh_CN.po"
    if not po.is_file():
        return
    entries = po_entries(po)
    for js in sorted((addon / "static" / "tests" / "tours").glob("*.js")):
        block = re.search(r"^const WORDS = \{(.*?)^\};", js.read_text(encoding="utf-8"), re.M | re.S)
        if not block:
            continue
        words = {lang: dict(re.findall(r'(\w+): "((?:[^"\\]|\\.)*)"', body))
                 for lang, body in re.findall(r"(\w+): \{(.*?)\}", block.group(1), re.S)}
        for key, english in words.get("en_US", {}).items():
            chinese = words.get("zh_CN", {}).get(key)
            if chinese is None:
                errors.append(f"{js.name}: WORDS.zh_CN has no {key!r}")
                continue
            terms = [msgstr for msgid, msgstr in entries if _begins(english, msgid)]
            if terms and not any(_begins(chinese, msgstr) for msgstr in terms):
                errors.append(f"{js.name}: WORDS {key!r}: {chinese!r} is not the translation of {english!r} "
                              f"in zh_CN.po")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        check(Path(name))
    for error in errors:
        print(error)
    print(f"static checks: {len(errors)} problem(s)")
    sys.exit(1 if errors else 0)
