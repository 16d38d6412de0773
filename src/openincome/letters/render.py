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


def check(body: str, channel: str = "letter") -> None:
    """Raise TemplateError when the wording uses a tag we do not allow or does not compile."""
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
