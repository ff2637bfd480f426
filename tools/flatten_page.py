"""Flatten an HTML page into the lines a naive crawler saves (fixtures/realpages*/README.md, "How a page was turned into lines").

    python tools/flatten_page.py PAGE.html > PAGE.txt
"""
import re
import sys
from html.parser import HTMLParser

BLOCK = set("""p div li h1 h2 h3 h4 h5 h6 br tr td th section article header footer nav
aside ul ol dl table dd dt blockquote pre form figure figcaption caption thead tbody tfoot
main address fieldset legend hr center select option textarea iframe""".split())
SKIP = {"script", "style", "noscript", "template"}
STRIP = None  # str.strip default whitespace plus zero-width space / BOM below
WS = re.compile(r"\s+")


class Flattener(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = []
        self.in_title = 0
        self.title_done = False  # only the first <title> is the page title
        self.in_head = False
        self.skip = []  # stack of skip tags open
        self.pre = 0
        self.lines = []
        self.cur = []

    def brk(self):
        if self.cur:
            self.lines.append("".join(self.cur))
            self.cur = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skip.append(tag)
            return
        if tag == "head":
            self.in_head = True
            return
        if tag == "body":
            self.in_head = False
        if tag == "title" and not self.title_done and not self.skip:
            self.in_title = 1
            return
        if self.skip:
            return
        if tag in BLOCK:
            self.brk()
            if tag in ("pre", "textarea"):
                self.pre += 1

    def handle_endtag(self, tag):
        if tag in SKIP:
            if tag in self.skip:
                while self.skip:
                    if self.skip.pop() == tag:
                        break
            return
        if tag == "head":
            self.in_head = False
            return
        if tag == "title" and self.in_title:
            self.in_title = 0
            self.title_done = True
            return
        if self.skip:
            return
        if tag in BLOCK:
            self.brk()
            if tag in ("pre", "textarea") and self.pre:
                self.pre -= 1

    def handle_data(self, data):
        if self.skip:
            return
        if self.in_title:
            self.title.append(data)
            return
        if self.in_head:
            return
        if self.pre:
            parts = data.split("\n")
            for i, part in enumerate(parts):
                if i:
                    self.brk()
                self.cur.append(part)
        else:
            self.cur.append(data)

    def handle_comment(self, data):
        pass

    def result(self):
        self.brk()
        out = []
        t = clean("".join(self.title))
        if t:
            out.append(t)
        for line in self.lines:
            c = clean(line)
            if c:
                out.append(c)
        return out


def clean(s):
    s = WS.sub(" ", s)
    return s.strip().strip("\u200b\ufeff \t\n\r\f\v").strip()


def strip_all(s):
    # repeated strip so mixtures of spaces and zero-width chars at the ends all go
    prev = None
    while prev != s:
        prev = s
        s = s.strip().strip("\u200b\ufeff")
    return s


def clean(s):  # noqa: F811
    return strip_all(WS.sub(" ", s))


def decode(raw):
    m = re.search(rb"<meta[^>]*charset\s*=\s*[\"']?\s*([A-Za-z0-9_-]+)", raw, re.I)
    cs = m.group(1).decode().lower() if m else None
    if cs in ("gb2312", "gbk", "gb18030"):
        return raw.decode("gb18030", errors="replace"), cs
    if cs in ("utf-8", "utf8"):
        return raw.decode("utf-8", errors="replace"), cs
    if cs:
        return raw.decode(cs, errors="replace"), cs
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace"), None


def flatten(raw):
    text, cs = decode(raw)
    p = Flattener()
    p.feed(text)
    p.close()
    return p.result(), cs


if __name__ == "__main__":
    lines, cs = flatten(open(sys.argv[1], "rb").read())
    sys.stderr.write(f"charset={cs} lines={len(lines)}\n")
    sys.stdout.write("".join(l + "\n" for l in lines))
