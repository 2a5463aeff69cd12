"""Shared rendering entry points: JSON and Markdown (jinja2 templates)."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment

    from engine.catalog import Catalog
    from engine.result import UnitResult
    from evidence.plan import Handlingsplan


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# Evidence text is shown as written: never a table border, link, image, code span, `*` emphasis or HTML tag
# (an underscore stays: field paths are full of them, and GitHub Markdown does not emphasise inside words).
_MD_ESCAPES = str.maketrans(
    {"\\": "\\\\", "|": "\\|", "[": "\\[", "]": "\\]", "`": "\\`", "*": "\\*", "<": "&lt;"}
)
# Every line break CommonMark ends a line at (\n, \r\n, a lone \r) and those Unicode has: each becomes one space.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_MD_BLOCK_START = re.compile(r"[#>+=-]|\d+[.)]")  # a heading, quote, list or underline where a paragraph starts


def md_cell(text: object) -> str:
    """Evidence text as Markdown on one line that shows the text itself, whatever it contains."""
    out = _LINE_BREAK.sub(" ", str(text)).translate(_MD_ESCAPES)
    start = _MD_BLOCK_START.match(out)
    return out if start is None else out[: start.end() - 1] + "\\" + out[start.end() - 1 :]


@cache
def environment(autoescape: bool) -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined  # only the renderers that use templates pay for it

    from engine.followup import MET

    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_cell
    env.filters["hy"] = _hyphenate
    env.filters["css_string"] = css_string
    env.filters["style_hash"] = style_hash
    env.globals["MET_NOTE"] = MET  # a plan row whose requirement the latest assessment found met
    return env


def css_string(value: object) -> Any:
    """Text as a CSS string literal (for a printed page's running header): everything but letters, digits, spaces
    and a few marks is a hex escape, so no value can end the string, the rule or the <style> element."""
    from markupsafe import Markup

    out = "".join(c if c.isalnum() or c in " .,:-–·()" else f"\\{ord(c):06x}" for c in str(value))
    return Markup(f'"{out}"')


def style_hash(css: object) -> Any:
    """The CSP source that admits exactly this style element's text ('sha256-…')."""
    import base64
    import hashlib

    from markupsafe import Markup

    digest = hashlib.sha256(str(css).encode("utf-8")).digest()
    return Markup(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")


def _hyphenate(value: Any, shortest: int = 12) -> Any:
    """jinja filter: Swedish soft hyphens in long words (reports/plan_view.py); escaped markup stays markup."""
    from markupsafe import Markup

    from reports.plan_view import soft_hyphens

    return Markup(soft_hyphens(value, shortest)) if isinstance(value, Markup) else soft_hyphens(value, shortest)


def render_plan(plan: Handlingsplan, fmt: str, catalog: Catalog) -> str:
    from reports.plan_view import plan_view

    pv = plan_view(plan, catalog)
    name = "plan.html.j2" if fmt == "html" else "plan.md.j2"
    return environment(fmt == "html").get_template(name).render(pv=pv)


def render_markdown(result: UnitResult, catalog: Catalog) -> str:
    template = environment(False).get_template("grade.md.j2")
    return template.render(result=result, kinds=catalog.grading.kinds, words=catalog.vocabulary["outcomes"])
