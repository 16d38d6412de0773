"""Templates in a safe language: Django's template syntax in an engine of its own, with no
loaders (no include or extends), no libraries to load, a short list of tags, and a context of
plain values (letters.context). A letter's text becomes paragraphs, bullets and headings in
the letter layout; a text message or email stays plain text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.template import Context, Engine, TemplateSyntaxError
from django.template.loader import render_to_string

ENGINE = Engine(libraries={}, autoescape=False, debug=False, string_if_invalid="")
ALLOWED_TAGS = {"if", "elif", "else", "endif", "for", "empty", "endfor", "with", "endwith",
                "firstof", "comment", "endcomment", "spaceless", "endspaceless"}
_TAG = re.compile(r"{%-?\s*(\w+)")
SMS_LIMIT = 918  # six text messages: Notify's longest


class TemplateError(ValueError):
    """The wording cannot be used: what is wrong, in words."""


# The fixed context (letters.context): each field, and the keys of those that are records
# (None: a value or a list, whose items are not checked).
FIELDS: dict[str, frozenset | None] = {
    "landlord": frozenset({"name", "address_lines", "phone", "email", "payment_methods",
                           "signature"}),
    "tenant": frozenset({"name", "first_name", "salutation", "address_lines"}),
    "tenants": None, "tenancy_ref": None, "payment_reference": None,
    "property_address": None, "date": None, "balance": None, "arrears": None, "credit": None,
    "weekly_charge": None, "in_arrears": None, "ended": None, "charges": None,
    "agreement": frozenset({"start_date", "starting_balance", "instalment", "frequency",
                            "first_due"}),
    "notice": frozenset({"kind", "served_date", "earliest_proceedings_date"}),
    "order": frozenset({"outcome", "date", "instalment", "frequency"}),
    "hearing": frozenset({"date", "place", "case_ref"}),
    "benefits": None,
    "statement": frozenset({"from", "to", "opening", "closing", "closing_words",
                            "charges_total", "payments_total", "payments", "lines"}),
    "forloop": None,
}
_OPERATORS = {"and", "or", "not", "in", "is", "==", "!=", "<", ">", "<=", ">=", "as"}
_LITERAL = re.compile(r"""^(-?\d+(\.\d+)?|"[^"]*"|'[^']*'|None|True|False)$""")
_UNCLOSED = re.compile(r"{{(?![^{}]*}})|{%(?![^{}]*%})")


def _variables(body: str) -> tuple[list[str], set[str]]:
    """The variable names the wording reads, and the names its for and with tags bind."""
    from django.template.base import Lexer, TokenType

    read: list[str] = []
    bound: set[str] = set()
    for token in Lexer(body).tokenize():
        if token.token_type == TokenType.VAR:
            read.append(token.contents)
        elif token.token_type == TokenType.BLOCK:
            bits = token.split_contents()
            tag, args = bits[0], bits[1:]
            if tag == "for" and "in" in args:
                at = args.index("in")
                bound |= {n.strip() for n in " ".join(args[:at]).split(",") if n.strip()}
                read += args[at + 1:at + 2]
            elif tag == "with":
                if "as" in args:
                    bound.add(args[-1])
                    read += args[:1]
                for arg in args:
                    if "=" in arg:
                        name, value = arg.split("=", 1)
                        bound.add(name)
                        read.append(value)
            elif tag in ("if", "elif", "firstof"):
                read += [a for a in args if a not in _OPERATORS]
    return read, bound


def unknown_fields(body: str) -> list[str]:
    """The fields the wording reads that the fixed context does not have (for example
    {{ nosuchfield }} or {{ settings.SECRET_KEY }}), in the order they come."""
    read, bound = _variables(body)
    out: list[str] = []
    for expression in read:
        name = expression.split("|", 1)[0].strip()
        if not name or _LITERAL.match(name):
            continue
        parts = name.split(".")
        root = parts[0]
        if root in bound:
            continue
        keys = FIELDS.get(root)
        if root not in FIELDS or (len(parts) > 1 and keys is not None and parts[1] not in keys):
            out.append(name)
    return list(dict.fromkeys(out))


def check(body: str, channel: str = "letter") -> None:
    """Raise TemplateError when the wording uses a tag we do not allow, does not compile, has
    a field left open, or reads a field the context does not have."""
    if _UNCLOSED.search(body):
        raise TemplateError("A field or tag is not closed: every {{ needs a }} and every {% "
                            "a %}")
    for tag in _TAG.findall(body):
        if tag not in ALLOWED_TAGS:
            raise TemplateError(f"'{{% {tag} %}}' cannot be used in a template; you can use "
                                "if, for, with and firstof")
    try:
        ENGINE.from_string(body)
    except TemplateSyntaxError as exc:
        raise TemplateError(f"The template has a mistake: {exc}") from exc
    if not body.strip():
        raise TemplateError("Enter the wording")
    if unknown := unknown_fields(body):
        raise TemplateError(f"There is no field {{{{ {unknown[0]} }}}}: use only the fields "
                            "under 'Fields you can use'")


def fill(text: str, context: dict) -> str:
    """The wording with the fields filled in (plain text)."""
    return ENGINE.from_string(text).render(Context(context, autoescape=False))


def blocks(text: str) -> list[dict]:
    """Plain text as blocks: {'kind': 'p'|'h'|'ul', 'text'|'items'}."""
    out: list[dict] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [x.rstrip() for x in chunk.strip().splitlines() if x.strip()]
        if not lines:
            continue
        bullets = [x for x in lines if x.lstrip().startswith("- ")]
        if bullets and len(bullets) == len(lines):
            out.append({"kind": "ul", "items": [x.lstrip()[2:] for x in lines]})
        elif lines[0].startswith("# ") and len(lines) == 1:
            out.append({"kind": "h", "text": lines[0][2:]})
        else:
            if lines[0].startswith("# "):
                out.append({"kind": "h", "text": lines.pop(0)[2:]})
            paragraph = [x for x in lines if not x.lstrip().startswith("- ")]
            items = [x.lstrip()[2:] for x in lines if x.lstrip().startswith("- ")]
            if paragraph:
                out.append({"kind": "p", "text": " ".join(paragraph)})
            if items:
                out.append({"kind": "ul", "items": items})
    return out


def blocks_html(text: str) -> str:
    """Plain text as HTML paragraphs, headings and lists (every character escaped)."""
    parts = []
    for block in blocks(text):
        if block["kind"] == "ul":
            items = "".join(f"<li>{html.escape(i)}</li>" for i in block["items"])
            parts.append(f"<ul>{items}</ul>")
        elif block["kind"] == "h":
            parts.append(f"<h2>{html.escape(block['text'])}</h2>")
        else:
            parts.append(f"<p>{html.escape(block['text'])}</p>")
    return "\n".join(parts)


@dataclass(frozen=True)
class Rendered:
    """A communication as it will be sent: its subject, its text and (a letter) its HTML."""

    subject: str
    text: str
    html: str = ""


def render(channel: str, subject: str, body: str, context: dict) -> Rendered:
    """Render one version's wording for this context (a letter as a whole page of HTML)."""
    filled_subject = " ".join(fill(subject, context).split())
    text = fill(body, context).strip()
    if channel != "letter":
        return Rendered(filled_subject, re.sub(r"\n{3,}", "\n\n", text))
    page = render_to_string("letters/letter.html", {
        "c": context, "subject": filled_subject, "body": blocks_html(text)})
    return Rendered(filled_subject, text, page)
