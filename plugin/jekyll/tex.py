"""LaTeX as MathJax readers write it, made into MathML by latex2mathml.

latex2mathml (pure Python, already what a build needs: no Node, no browser script) converts
most formulas of course notes as they are. What it lacks, this module supplies around it,
in the order MathJax reads a formula:

- macros: `\\newcommand`, `\\renewcommand`, `\\providecommand`, `\\def` and
  `\\DeclareMathOperator` are read, removed from the formula and expanded, page-wide (a
  definition holds for the page's later formulas, as with MathJax), on top of the macros
  of the site's MathJax configuration (`Macros: {…}` of MathJax 2 or `macros: {…}` of
  MathJax 3 in the Jekyll site's `_layouts/` and `_includes/`, beside `docs/` or in it);
- the alignment environments (`aligned`, `align`, `align*`, `alignat`, `gathered`,
  `gather`, `split`, `multline`, `eqnarray`) become an `<mtable>` built here: each cell
  is converted on its own and put in place of a placeholder, so a matrix inside a row,
  or a row inside `\\left(…\\right)`, still works (latex2mathml reads `aligned` as a group
  and writes its `&` as a bare `<mi>&</mi>`); `equation` and `equation*` are unwrapped;
  the matrix family, `cases` and `array` stay latex2mathml's;
- `\\tag{…}` is shown after its formula (or row); `\\label`, `\\nonumber` and `\\notag` go
  (MathJax numbers nothing by default); `\\operatorname*` takes limits below; `\\big\\{`
  and its kin are repaired in latex2mathml's output.

Another converter was measured on the same corpus of course notes (math-core, a Rust
extension writing MathML Core): it converted about as many formulas but is a compiled
dependency, stops at the first unknown command of any macro MathJax knows and it does not
(`\\dotsc`, `\\mbox`), and would change the MathML of every page that converts today.

What still cannot be converted raises `TexError`, whose message names the command.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

from latex2mathml.converter import convert as latex2mathml

TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\\$|%[^\n]*|.", re.S)
MATHML = "http://www.w3.org/1998/Math/MathML"
ElementTree.register_namespace("", MATHML)
TOKENS = {"mi", "mo", "mn", "mtext", "ms"}  # MathML's text: an HTML parser reads HTML inside
NAMED_SPACES = {  # MathML 2's, in em
    f"{sign}{name}mathspace": f"{'-' if sign else ''}{ems:.4f}em"
    for sign in ("", "negative")
    for name, ems in (
        ("veryverythin", 1 / 18), ("verythin", 2 / 18), ("thin", 3 / 18), ("medium", 4 / 18),
        ("thick", 5 / 18), ("verythick", 6 / 18), ("veryverythick", 7 / 18),
    )
}  # fmt: skip
ARITY = {
    "mfrac": 2, "msub": 2, "msup": 2, "mroot": 2, "munder": 2, "mover": 2,
    "msubsup": 3, "munderover": 3,
}  # fmt: skip
ARITY_NAMES = {
    "mfrac": r"\frac", "msub": "_", "msup": "^", "mroot": r"\sqrt", "msubsup": "_ or ^",
    "munder": r"\underset or a limit", "mover": r"\overset or an accent",
    "munderover": "a limit",
}  # fmt: skip
DEFINERS = {r"\newcommand", r"\renewcommand", r"\providecommand", r"\def"}
OPERATORS = {r"\DeclareMathOperator"}
DROPPED = {r"\label": 1, r"\nonumber": 0, r"\notag": 0}
# Environment: columns' alignment, repeated ("rl": right, left, right, left, …)
TABLES = {
    "aligned": "rl", "align": "rl", "align*": "rl", "alignat": "rl", "alignat*": "rl",
    "alignedat": "rl", "split": "rl", "gathered": "c", "gather": "c", "gather*": "c",
    "multline": "c", "multline*": "c", "eqnarray": "rcl", "eqnarray*": "rcl",
}  # fmt: skip
COUNTED = {"alignat", "alignat*", "alignedat"}  # take a number of columns: {2}
UNWRAPPED = {"equation", "equation*", "displaymath", "math"}
LATEX2MATHML_ENVIRONMENTS = {
    *(f"{kind}matrix{star}" for kind in ("", "p", "b", "B", "v", "V") for star in ("", "*")),
    "smallmatrix", "array", "cases", "dcases",
}  # fmt: skip
ALIGN = {"r": "right", "l": "left", "c": "center"}
DELIMITERS = {
    r"\{": "{", r"\}": "}", r"\lbrace": "{", r"\rbrace": "}", r"\|": "‖", r"\Vert": "‖",
    r"\vert": "|", r"\lvert": "|", r"\rvert": "|", r"\lVert": "‖", r"\rVert": "‖",
    r"\langle": "⟨", r"\rangle": "⟩", r"\lfloor": "⌊", r"\rfloor": "⌋", r"\lceil": "⌈",
    r"\rceil": "⌉",
}  # fmt: skip
SIZED_DELIMITER = re.compile(
    r"(<mo [^>]*maxsize[^>]*>)(" + "|".join(re.escape(name) for name in DELIMITERS) + r")</mo>"
)
PLACEHOLDER = "LECTUREMATHTABLE{}"
# What MathJax knows and latex2mathml does not, in words it knows (below the page's macros)
BUILTINS = {
    r"\arg": (0, None, r"\operatorname{arg}"),
    r"\backslash": (0, None, r"\setminus"),
    r"\newline": (0, None, r"\\"),
    r"\hdots": (0, None, r"\ldots"),
    r"\P": (0, None, r"\text{¶}"),
    r"\textdegree": (0, None, r"{}^\circ"),
    r"\mod": (1, None, r"\quad\operatorname{mod}\,#1"),
    r"\eqref": (1, None, r"\text{(#1)}"),
    r"\ref": (1, None, r"\text{#1}"),
    r"\middle": (0, None, ""),
}
MAX_EXPANSIONS = 1000


class TexError(ValueError):
    """LaTeX that cannot be converted; the message says why, naming the command."""


# A macro: (number of arguments, default of the optional first one or None, body tokens)
Macro = tuple[int, str | None, list[str]]


def tokenize(tex: str) -> list[str]:
    return TOKEN.findall(tex)


def convert(tex: str, display: bool, macros: dict[str, Macro] | None = None) -> str:
    """MathML for `tex`. `macros` (name with its backslash → Macro) is read and updated
    with the formula's definitions (a formula that only defines is an empty `<math>`)."""
    macros = {} if macros is None else macros
    tokens = _upright(_expand(tokenize(tex.strip()), macros))
    inner = _Converter().inner(tokens, display) if "".join(tokens).strip() else "<mrow />"
    mode = "block" if display else "inline"
    return _parsable(f'<math xmlns="{MATHML}" display="{mode}">{inner}</math>')


def _upright(tokens: list[str]) -> list[str]:
    """`\\mathrm{d}` as `\\mathrm{{d}}`: latex2mathml writes one letter in `\\mathrm` as a
    plain `<mi>`, which MathML Core shows in italic (the `d` of `dx`, Euler's `e`); in a
    group it gets `mathvariant="normal"`, as MathJax writes it."""
    out: list[str] = []
    index = 0
    while index < len(tokens):
        out.append(tokens[index])
        start = _skip_spaces(tokens, index + 1)
        if tokens[index] == "\\mathrm" and tokens[start : start + 3 : 2] == ["{", "}"]:
            letter = tokens[start + 1]
            if len(letter) == 1 and letter.isalpha():
                out += ["{", "{", letter, "}", "}"]
                index = start + 3
                continue
        index += 1
    return out


def _parsable(mathml: str) -> str:
    """MathML as an HTML page parses it. latex2mathml puts elements inside token elements
    for `\\mathop{…}` and starred operator names (`\\argmax`): `<mo><mrow>…</mrow></mo>`.
    An HTML parser reads what is inside `<mo>` as HTML, so the rest of the formula is lost
    (Chromium shows it as run-on text). Such a token gets the text it spells (`arg max`),
    or becomes an `<mrow>`; MathML 2's named spaces (`thinmathspace`), which MathML Core
    ignores, become lengths."""
    root = ElementTree.fromstring(mathml)
    changed = False
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "mspace" and element.get("width") in NAMED_SPACES:
            element.set("width", NAMED_SPACES[element.get("width")])
            changed = True
        if tag not in TOKENS or not len(element):
            continue
        changed = True
        text = _spelled(element)
        if text is None:  # (a fraction, a script: kept, in a row)
            element.tag = element.tag.replace(tag, "mrow")
            element.attrib.clear()
            continue
        for child in list(element):
            element.remove(child)
        element.text = text
    return ElementTree.tostring(root, encoding="unicode") if changed else mathml


def _spelled(token: ElementTree.Element) -> str | None:
    """The text a token's inside spells (letters, and spaces as a thin space), or None
    when it holds more than text (a script, a fraction)."""
    parts = [token.text or ""]
    for element in token.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if element is token or tag == "mrow":
            continue
        if tag == "mspace":
            parts.append("\u2009")
        elif tag in TOKENS and not len(element):
            parts.append(element.text or "")
        else:
            return None
    return "".join(parts)


# Macros


def _skip_spaces(tokens: list[str], index: int) -> int:
    while index < len(tokens) and tokens[index].isspace():
        index += 1
    return index


def _group(tokens: list[str], index: int, command: str) -> tuple[list[str], int]:
    """The argument starting at `index` (a `{…}` group, without its braces, or one token)
    and the index after it."""
    index = _skip_spaces(tokens, index)
    if index >= len(tokens) or tokens[index] == "}":
        raise TexError(f"'{command}' is missing an argument")
    if tokens[index] != "{":
        return [tokens[index]], index + 1
    depth = 0
    for end in range(index, len(tokens)):
        depth += {"{": 1, "}": -1}.get(tokens[end], 0)
        if depth == 0:
            return tokens[index + 1 : end], end + 1
    raise TexError(f"a '{{' of '{command}' is never closed")


def _optional(tokens: list[str], index: int) -> tuple[list[str] | None, int]:
    """An optional `[…]` argument at `index`, if there is one."""
    start = _skip_spaces(tokens, index)
    if start >= len(tokens) or tokens[start] != "[":
        return None, index
    depth = 0
    for end in range(start + 1, len(tokens)):
        depth += {"{": 1, "}": -1}.get(tokens[end], 0)
        if tokens[end] == "]" and depth == 0:
            return tokens[start + 1 : end], end + 1
    return None, index


def _define(tokens: list[str], index: int, macros: dict[str, Macro]) -> int:
    """Reads the definition whose command is at `index`; returns the index after it."""
    command = tokens[index]
    index += 1
    if index < len(tokens) and tokens[index] == "*":
        index += 1
        if command in OPERATORS:
            command += "*"
    if command.startswith(r"\DeclareMathOperator"):
        name, index = _group(tokens, index, command)
        text, index = _group(tokens, index, command)
        name = [token for token in name if not token.isspace()]
        if len(name) != 1 or not name[0].startswith("\\"):
            raise TexError(f"'{command}' needs a command name first, as in {command}{{\\name}}")
        body = [r"\operatorname", *(["*"] if command.endswith("*") else []), "{", *text, "}"]
        macros[name[0]] = (0, None, body)
        return index
    if command == r"\def":
        index = _skip_spaces(tokens, index)
        name = tokens[index : index + 1]
        index += 1
        params = 0
        while index < len(tokens) and tokens[index] != "{":
            params += tokens[index] == "#"
            index += 1
        default = None
    else:
        name, index = _group(tokens, index, command)
        name = [token for token in name if not token.isspace()]
        count, index = _optional(tokens, index)
        default_tokens, index = _optional(tokens, index) if count else (None, index)
        try:
            params = int("".join(count or ["0"]).strip())
        except ValueError:
            raise TexError(f"'{command}' has a number of arguments that is no number") from None
        default = None if default_tokens is None else "".join(default_tokens)
    if len(name) != 1 or not re.fullmatch(r"\\([A-Za-z]+|.)", name[0]):
        raise TexError(
            f"'{command}' needs a command name with its backslash, as in {command}{{\\name}}"
        )
    body, index = _group(tokens, index, command)
    if command != r"\providecommand" or name[0] not in macros:
        macros[name[0]] = (params, default, body)
    return index


def _expand(tokens: list[str], macros: dict[str, Macro]) -> list[str]:
    """`tokens` with their definitions read (and removed), macros expanded, comments and
    what MathJax ignores (`\\label`, `\\nonumber`) removed."""
    out: list[str] = []
    index = expansions = 0
    tokens = list(tokens)
    while index < len(tokens):
        token = tokens[index]
        if token in DEFINERS or token in OPERATORS:
            index = _define(tokens, index, macros)
        elif token.startswith("%"):
            index += 1
        elif token in DROPPED:
            index += 1
            for _ in range(DROPPED[token]):
                _, index = _group(tokens, index, token)
        elif token in macros or token in BUILTINS:
            expansions += 1
            if expansions > MAX_EXPANSIONS:
                raise TexError(f"the macro '{token}' expands without end")
            params, default, body = macros.get(token) or _builtin(token)
            args: list[list[str]] = []
            end = index + 1
            if default is not None:
                optional, end = _optional(tokens, end)
                args.append(tokenize(default) if optional is None else optional)
            while len(args) < params:
                arg, end = _group(tokens, end, token)
                args.append(arg)
            tokens[index:end] = _substitute(body, args)
        elif token == r"\operatorname" and tokens[index + 1 : index + 2] == ["*"]:
            name, end = _group(tokens, index + 2, r"\operatorname*")
            tokens[index:end] = [r"\mathop", "{", r"\mathrm", "{", *name, "}", "}", r"\limits"]
        else:
            out.append(token)
            index += 1
    return out


def _builtin(name: str) -> Macro:
    params, default, body = BUILTINS[name]
    return params, default, tokenize(body)


def _substitute(body: list[str], args: list[list[str]]) -> list[str]:
    out: list[str] = []
    index = 0
    while index < len(body):
        if body[index] == "#" and index + 1 < len(body) and body[index + 1].isdigit():
            number = int(body[index + 1])
            if not 1 <= number <= len(args):
                raise TexError(f"a macro uses #{number} but has {len(args)} arguments")
            out += ["{", *args[number - 1], "}"]
            index += 2
        else:
            out.append(body[index])
            index += 1
    return out


def site_macros(docs_dir: str) -> dict[str, Macro]:
    """The macros of the MathJax configuration in the Jekyll site's layouts and includes."""
    docs = Path(docs_dir)
    files = [
        path
        for folder in (docs, docs.parent)
        for sub in ("_layouts", "_includes")
        if (folder / sub).is_dir()
        for path in sorted((folder / sub).glob("*.html"))
    ]
    return dict(_macros_of(tuple((str(path), path.stat().st_mtime_ns) for path in files)))


@lru_cache(maxsize=16)
def _macros_of(files: tuple[tuple[str, int], ...]) -> tuple[tuple[str, Macro], ...]:
    macros: dict[str, Macro] = {}
    for path, _ in files:
        macros.update(mathjax_macros(Path(path).read_text(encoding="utf-8", errors="replace")))
    return tuple(macros.items())


JS_STRING = r"""(?:"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')"""
MACRO_ENTRY = re.compile(
    rf"""(?P<name>[A-Za-z]+|{JS_STRING})\s*:\s*(?:(?P<body>{JS_STRING})|"""
    rf"""\[\s*(?P<array>{JS_STRING})\s*,\s*(?P<count>\d+)\s*(?:,\s*(?P<default>{JS_STRING})\s*)?\])"""
)


def mathjax_macros(html: str) -> dict[str, Macro]:
    """The macros of a MathJax configuration (`Macros: {name: "body", name: ["body", 1]}`)
    written in `html`."""
    macros: dict[str, Macro] = {}
    for start in re.finditer(r"\b[Mm]acros\s*:\s*\{", html):
        depth, index = 1, start.end()
        while index < len(html) and depth:
            char = html[index]
            if char in "\"'":
                string = re.match(JS_STRING, html[index:])
                index += len(string[0]) if string else 1
                continue
            depth += {"{": 1, "}": -1}.get(char, 0)
            index += 1
        for entry in MACRO_ENTRY.finditer(html[start.end() : index - 1]):
            name = _js_string(entry["name"]) if entry["name"][0] in "\"'" else entry["name"]
            body = _js_string(entry["body"] or entry["array"])
            default = _js_string(entry["default"]) if entry["default"] else None
            macros["\\" + name] = (int(entry["count"] or 0), default, tokenize(body))
    return macros


def _js_string(literal: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), literal[1:-1])


# Conversion


class _Converter:
    """One formula: its tables (built here) stand as placeholders while latex2mathml
    converts the rest."""

    def __init__(self) -> None:
        self.tables: list[str] = []

    def inner(self, tokens: list[str], display: bool = True) -> str:
        """The MathML inside `<math>` for `tokens` (expanded); `display`: in display style
        (limits below sums), as cells of tables are."""
        tokens = self._environments(tokens)
        tokens, tag = _take_tag(tokens)
        latex = "".join(tokens)
        if "&" in tokens:
            raise TexError("'&' outside an environment that aligns (aligned, cases, a matrix…)")
        if latex.strip():
            try:
                mathml = latex2mathml(latex, display="block" if display else "inline")
            except Exception as error:  # latex2mathml raises many kinds of errors
                raise TexError(_describe(error, tokens)) from None
            mathml = SIZED_DELIMITER.sub(lambda m: m[1] + DELIMITERS[m[2]] + "</mo>", mathml)
            _check(mathml)
            inner = re.sub(r"^<math[^>]*>|</math>$", "", mathml)
        else:
            inner = "<mrow/>"
        for number, table in enumerate(self.tables):
            inner = re.sub(
                rf"<mtext>{PLACEHOLDER.format(number)}</mtext>", lambda _, t=table: t, inner
            )
        if tag is not None:
            inner = f'<mrow>{inner}<mspace width="2em"/>{_tag_mathml(tag)}</mrow>'
        return inner

    def _environments(self, tokens: list[str]) -> list[str]:
        """`tokens` with each outermost environment of TABLES a placeholder, and those of
        UNWRAPPED unwrapped."""
        out: list[str] = []
        index = 0
        while index < len(tokens):
            if tokens[index] != r"\begin":
                if tokens[index] == r"\end":
                    name, _ = _group(tokens, index + 1, r"\end")
                    raise TexError(f"'\\end{{{''.join(name)}}}' has no \\begin")
                out.append(tokens[index])
                index += 1
                continue
            name_tokens, start = _group(tokens, index + 1, r"\begin")
            name = "".join(name_tokens).strip()
            body, end = _environment_body(tokens, start, name)
            if name in UNWRAPPED:
                tokens[index:end] = body
                continue
            if name in TABLES:
                if name in COUNTED:
                    _, body_start = _group(body, 0, rf"\begin{{{name}}}")
                    body = body[body_start:]
                self.tables.append(self._table(body, TABLES[name]))
                out.append(rf"\text{{{PLACEHOLDER.format(len(self.tables) - 1)}}}")
            elif name in LATEX2MATHML_ENVIRONMENTS:
                name = "cases" if name == "dcases" else name
                cells = "".join(self._environments(body))
                out.append(rf"\begin{{{name}}}{cells}\end{{{name}}}")
            else:
                raise TexError(f"unknown environment '{name}' (\\begin{{{name}}})")
            index = end
        return out

    def _table(self, body: list[str], alignment: str) -> str:
        rows = [[list(cell) for cell in row] for row in _split_rows(body)]
        if rows and all(not "".join(cell).strip() for cell in rows[-1]):
            rows.pop()  # a `\\` before `\end`
        tags: list[list[str] | None] = []
        for row in rows:
            tag = None
            for number, cell in enumerate(row):
                row[number], found = _take_tag(cell)
                tag = found if found is not None else tag
            tags.append(tag)
        tagged = any(tag is not None for tag in tags)
        xml_rows = []
        for row, tag in zip(rows, tags, strict=True):
            cells = []
            for number, cell in enumerate(row):
                align = ALIGN[alignment[number % len(alignment)]]
                content = [token for token in cell if token != r"\hline"]
                if align == "left" and len(alignment) > 1 and "".join(content).strip():
                    content = ["{", "}", *content]  # "&= b": = is a relation
                cells.append(f'<mtd columnalign="{align}">{_cell(content)}</mtd>')
            if tagged:
                columns = max(len(r) for r in rows)
                cells += ["<mtd/>"] * (columns - len(row))
                tag_cell = _tag_mathml(tag) if tag is not None else ""
                cells.append(f'<mtd columnalign="right">{tag_cell}</mtd>')
            xml_rows.append("<mtr>" + "".join(cells) + "</mtr>")
        spacing = "0em 2em" if len(alignment) == 2 else "0.278em" if len(alignment) == 3 else "0em"
        return (
            f'<mtable displaystyle="true" rowspacing="3pt" columnspacing="{spacing}">'
            + "".join(xml_rows)
            + "</mtable>"
        )


def _cell(tokens: list[str]) -> str:
    """A table cell's MathML (an `<mtd>` is a row itself: no `<mrow>` around it)."""
    if not "".join(tokens).strip():
        return ""
    inner = _Converter().inner(tokens)
    single = re.fullmatch(r"<mrow>(.*)</mrow>", inner, re.S)
    if single and _balanced(single[1]):
        return single[1]
    return inner


def _balanced(xml: str) -> bool:
    """Whether `xml` is a sequence of whole elements (not "…</mrow><mrow>…")."""
    try:
        ElementTree.fromstring(f"<r>{xml}</r>")
    except ElementTree.ParseError:
        return False
    return True


def _environment_body(tokens: list[str], start: int, name: str) -> tuple[list[str], int]:
    """The tokens between `\\begin{name}` (ending at `start`) and its `\\end{name}`, and
    the index after the `\\end{name}`."""
    depth = 1
    index = start
    while index < len(tokens):
        if tokens[index] in (r"\begin", r"\end"):
            inner, after = _group(tokens, index + 1, tokens[index])
            depth += 1 if tokens[index] == r"\begin" else -1
            if depth == 0:
                if "".join(inner).strip() != name:
                    raise TexError(f"'\\begin{{{name}}}' ends with '\\end{{{''.join(inner)}}}'")
                return tokens[start:index], after
            index = after
        else:
            index += 1
    raise TexError(f"'\\begin{{{name}}}' is never closed (no \\end{{{name}}})")


def _split_rows(body: list[str]) -> Iterable[list[list[str]]]:
    """Rows (at `\\\\`, with its optional `[2pt]`) of cells (at `&`), at the body's top
    level (not inside braces or nested environments)."""
    row: list[list[str]] = [[]]
    depth = 0
    index = 0
    while index < len(body):
        token = body[index]
        if token in ("{", r"\begin", r"\left"):
            depth += 1
        elif token in ("}", r"\end", r"\right"):
            depth -= 1
        if depth == 0 and token == "&":
            row.append([])
        elif depth == 0 and token in (r"\\", r"\cr"):
            yield row
            row = [[]]
            _, index = _optional(body, index + 1)
            continue
        else:
            row[-1].append(token)
        index += 1
    yield row


def _take_tag(tokens: list[str]) -> tuple[list[str], list[str] | None]:
    """`tokens` without their top-level `\\tag{…}` and the tag's text (with `(…)` unless
    `\\tag*`)."""
    depth = 0
    for index, token in enumerate(tokens):
        depth += {"{": 1, "}": -1, r"\begin": 1, r"\end": -1}.get(token, 0)
        if token == r"\tag" and depth == 0:
            star = tokens[index + 1 : index + 2] == ["*"]
            text, end = _group(tokens, index + 1 + star, r"\tag")
            tag = text if star else ["(", *text, ")"]
            return tokens[:index] + tokens[end:], tag
    return tokens, None


def _tag_mathml(tag: list[str]) -> str:
    return _cell([r"\text", "{", *tag, "}"])


def _check(mathml: str) -> None:
    """Raises TexError when latex2mathml wrote an unknown command as text, left a fraction
    or script without its arguments, or wrote something that is not XML."""
    try:
        root = ElementTree.fromstring(mathml)
    except ElementTree.ParseError:
        raise TexError("it cannot be written as MathML") from None
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ARITY and len(element) != ARITY[tag]:
            raise TexError(f"'{ARITY_NAMES[tag]}' is missing an argument")
        text = element.text or ""
        if tag in ("mi", "mo", "mn") and "\\" in text:
            command = re.search(r"\\([A-Za-z]+|.)", text)
            raise TexError(f"unknown command '{command[0] if command else text}'")


def _describe(error: Exception, tokens: list[str]) -> str:
    """latex2mathml's exception in words ("MissingEndError" → "missing end"), or the
    command that is missing an argument when latex2mathml ran out of tokens."""
    name = type(error).__name__
    if name in ("NoAvailableTokensError", "StopIteration", "IndexError"):
        for index in range(len(tokens) - 1, -1, -1):
            after = _skip_spaces(tokens, index + 1)
            if re.fullmatch(r"\\[A-Za-z]+", tokens[index]) and (
                after == len(tokens) or tokens[after] in ("}", "&", r"\\")
            ):
                return f"'{tokens[index]}' is missing an argument"
    words = re.sub(r"(?<!^)([A-Z])", r" \1", name.removesuffix("Error"))
    detail = f": {error}" if str(error) else ""
    return f"{words.lower()}{detail}"
