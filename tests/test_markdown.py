"""The project's one Markdown escaping rule (issue 16 item 10, issue 18 class 6), checked with
GitHub's own CommonMark/GFM parser (cmark-gfm, through ``cmarkgfm``): ordinary host text stays
as it is, and no host string can add structure, emphasis, HTML or a link."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from conftest import FIRECRACKER
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kernel_advisor.analysis import analyse
from kernel_advisor.hostfs import TarRoot
from kernel_advisor.report import markdown
from kernel_advisor.report.markdown import md_escape
from kernel_advisor.textsafe import printable

cmarkgfm = pytest.importorskip("cmarkgfm")
OPTIONS = cmarkgfm.cmark.Options.CMARK_OPT_UNSAFE  # show raw HTML if any got through


def gfm(text: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(text, options=OPTIONS)


class Shape(HTMLParser):
    """The tags of a rendered fragment and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text += data


def shape(html: str) -> Shape:
    parser = Shape()
    parser.feed(html)
    parser.close()
    return parser


@pytest.mark.parametrize("text", ["6.8.0-45-generic", "2.6.18-8.el5xen", "Debian GNU/Linux 12",
                                  "Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz", "kvm_intel",
                                  "/sys/class/dmi/id/product_name", "QEMU Standard PC (Q35 + ICH9)"])
def test_ordinary_host_text_reads_as_it_is(text):
    assert md_escape(text) == text


TOKENS = list("#>-+*_`~[]()!<>&|\\:/.@ 1a\tx\u202e\x1b\n=") + [
    "https://", "www.", "&amp;", "<b>", "1. ", "```", "e@x.io", "    "]
HOSTILE = st.lists(st.sampled_from(TOKENS), max_size=16).map("".join) | st.text(max_size=30)


def expected(text: str) -> str:
    """What a reader should see: line breaks and tabs as one space, controls as escapes."""
    return printable(re.sub(r"[\r\n\t]+", " ", text), one_line=True).strip()


@settings(max_examples=400, deadline=None)
@given(HOSTILE)
def test_host_text_in_a_list_item_is_one_item_of_plain_text(text):
    html = gfm(f"- {md_escape(text)}\n")
    got = shape(html)
    assert got.tags in (["ul", "li"], ["ul", "li", "code"]) or set(got.tags) <= {"ul", "li", "code"}
    assert got.tags[:2] == ["ul", "li"] and got.tags.count("li") == 1
    assert got.text.strip() == expected(text)


@settings(max_examples=400, deadline=None)
@given(HOSTILE, HOSTILE)
@example("", "-@.a")  # cmark-gfm's address autolink takes a domain that starts with "."
def test_host_text_in_table_cells_keeps_the_columns(a, b):
    html = gfm(f"| A | B | C |\n|---|---|---|\n| {md_escape(a)} | {md_escape(b)} | end |\n")
    got = shape(html)
    assert got.tags.count("td") == 3 and "a" not in got.tags and "img" not in got.tags
    assert set(got.tags) <= {"table", "thead", "tr", "th", "tbody", "td", "code"}
    assert expected(a) in got.text and expected(b) in got.text and got.text.rstrip().endswith("end")


def test_bare_links_in_host_text_are_code_not_links():
    for text in ("see https://evil.example/x", "www.evil.example", "mail me@evil.example",
                 "[click](http://evil.example)", "<http://evil.example>"):
        html = gfm(f"- {md_escape(text)}\n")
        assert "<a " not in html, (text, html)


def test_no_backslash_noise_in_the_report_and_only_our_links():
    md = markdown.render(analyse(TarRoot(str(FIRECRACKER))))
    assert "6.18.44-fc-v657" in md and "6\\.18" not in md and "\\(" not in md
    from kernel_advisor import knowledge

    ours = {f["url"] for f in knowledge.load()["facts"].values()}
    hrefs = {unescape(h.split('"')[1]) for h in gfm(md).split("<a href=")[1:]}
    assert hrefs and hrefs <= ours


def test_terminal_escapes_in_host_text_are_shown_not_sent():
    out = md_escape("Debian\x1b]0;pwned\x07 \x1b[2J\u202egnp.exe")
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "x1b" in out and "u202e" in out
