"""Layout for what people read, designed for the width it gets: cells made of words that
are never split, columns sized from their content, and a table that changes shape (the
note columns moved under it, then a stacked block per row) when its words cannot fit. It
never squeezes a word; no line is wider than the width.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style

GAP = 2  # spaces between two columns
HANG = 2  # extra indent of a wrapped line's continuation
MARK = 2  # a mark ("✓", "✗", "≠") and its space, before a value
MIN_WIDTH = 20  # below this nothing reads whole; lay out as if this wide
WIDE_NOTE = 40  # a column of notes needs this much room (else the notes go under the table)


class Word:
    """Text that is never split (an identifier, or a word of free text); ``sep`` joins it
    to the word before it on the same line ("" where a break needs no space: after an
    operation's opening parenthesis)."""

    __slots__ = ("sep", "style", "text", "width")

    def __init__(self, text: str, style: str = "", sep: str = " ") -> None:
        self.text, self.style, self.sep = text, style, sep
        self.width = cell_len(text)


class Line:
    """A logical line of a cell: words that wrap between each other, continuations
    indented by HANG; ``mark`` is shown in the mark slot of the line's column."""

    __slots__ = ("indent", "mark", "max_width", "min_width", "words")

    def __init__(
        self, words: Sequence[Word], mark: tuple[str, str] | None = None, indent: int = 0
    ) -> None:
        self.words, self.mark, self.indent = tuple(words), mark, indent
        if not self.words:
            self.min_width = self.max_width = indent
            return
        first, rest = self.words[0], self.words[1:]
        hang = max((w.width for w in rest), default=0)
        self.min_width = indent + max(first.width, hang + HANG if rest else 0)
        self.max_width = indent + first.width + sum(len(w.sep) + w.width for w in rest)

    def wrap(self, width: int) -> list[list[Word]]:
        """The words of each physical line, greedily; a word wider than the width gets a
        line of its own (callers size columns so that this never happens)."""
        if self.max_width <= width:
            return [list(self.words)]
        lines: list[list[Word]] = []
        current: list[Word] = []
        used = 0
        for word in self.words:
            if not current:
                current, used = [word], self.indent + (HANG if lines else 0) + word.width
                continue
            extra = len(word.sep) + word.width
            if used + extra <= width:
                current.append(word)
                used += extra
            else:
                lines.append(current)
                current, used = [word], self.indent + HANG + word.width
        lines.append(current)
        return lines


def words(text: str, style: str = "") -> tuple[Word, ...]:
    """Free text as words, split at spaces."""
    return tuple(Word(w, style) for w in text.split())


def line(text: str = "", style: str = "", mark: tuple[str, str] | None = None) -> Line:
    return Line(words(text, style), mark)


def call(name: str, args: Sequence[str], style: str = "") -> Line:
    """``name(a=1, b=2)`` that may break after the parenthesis and after each comma,
    never inside ``name`` or an argument."""
    if not args:
        return Line((Word(f"{name}()", style),))
    parts = [Word(f"{name}(", style)]
    for i, arg in enumerate(args):
        last = i == len(args) - 1
        parts.append(Word(arg + (")" if last else ","), style, "" if i == 0 else " "))
    return Line(parts)


class Strip:
    """One physical line: pieces of text with their styles, and its width."""

    __slots__ = ("pieces", "width")

    def __init__(self, text: str = "", style: str = "") -> None:
        self.pieces: list[tuple[str, str]] = [(text, style)] if text else []
        self.width = cell_len(text) if text else 0

    def add(self, text: str, style: str = "", width: int | None = None) -> Strip:
        if text:
            self.pieces.append((text, style))
            self.width += cell_len(text) if width is None else width
        return self

    def extend(self, other: Strip) -> Strip:
        self.pieces += other.pieces
        self.width += other.width
        return self

    def pad(self, width: int, right: bool = False) -> Strip:
        short = width - self.width
        if short > 0:
            if right:
                self.pieces.insert(0, (" " * short, ""))
                self.width += short
            else:
                self.add(" " * short, "", short)
        return self

    def rstrip(self) -> Strip:
        while self.pieces and not self.pieces[-1][0].strip():
            self.width -= cell_len(self.pieces.pop()[0])
        if self.pieces:
            text, style = self.pieces[-1]
            stripped = text.rstrip()
            self.width -= cell_len(text) - cell_len(stripped)
            self.pieces[-1] = (stripped, style)
        return self

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.pieces)


class Cell:
    """What one column shows for one row: logical lines, the first usually the value."""

    __slots__ = ("lines", "marked", "max", "min")

    def __init__(self, lines: Sequence[Line] = ()) -> None:
        self.lines = tuple(lines)
        self.marked = any(x.mark for x in self.lines)
        self.min = max((x.min_width for x in self.lines), default=0)
        self.max = max((x.max_width for x in self.lines), default=0)

    @classmethod
    def of(cls, *lines: Line | str) -> Cell:
        return cls(tuple(x if isinstance(x, Line) else line(x) for x in lines))

    def first(self) -> Cell:
        return self if len(self.lines) <= 1 else Cell(self.lines[:1])

    def min_width(self, slot: bool = False) -> int:
        return self.min + (MARK if slot else 0)

    def max_width(self, slot: bool = False) -> int:
        return self.max + (MARK if slot else 0)

    def render(self, width: int, slot: bool = False) -> list[Strip]:
        """Physical lines, none wider than ``width`` unless one word is."""
        out: list[Strip] = []
        inner = width - (MARK if slot else 0)
        for logical in self.lines:
            for n, physical in enumerate(logical.wrap(inner)):
                strip = Strip()
                if slot:
                    mark = logical.mark if n == 0 else None
                    if mark:
                        strip.add(mark[0], mark[1]).pad(MARK)
                    else:
                        strip.add(" " * MARK, "", MARK)
                lead = logical.indent + (HANG if n else 0)
                if lead:
                    strip.add(" " * lead, "", lead)
                for i, word in enumerate(physical):
                    if i and word.sep:
                        strip.add(word.sep, "", len(word.sep))
                    strip.add(word.text, word.style, word.width)
                out.append(strip)
        return out


Justify = Literal["left", "right"]
Role = Literal["head", "end", "field", "note"]


@dataclass(frozen=True)
class Column:
    """A column of a table. ``head`` columns make the first line of a row's stacked
    block, the ``end`` column ends that line on the right, ``field`` columns follow as
    labelled values side by side. ``note`` columns are free text: notes under the table
    (a column of their own only when ``wide`` and everything fits), labelled lines in a
    stacked block; ``optional`` ones only as a column."""

    header: str
    role: Role = "field"
    justify: Justify = "left"
    wide: bool = False
    optional: bool = False


def fit(
    mins: Sequence[int], maxs: Sequence[int], available: int, rank: Sequence[int] = ()
) -> list[int] | None:
    """Column widths within ``available``: each at least its minimum (its longest word),
    the rest shared out up to each maximum, by ``rank`` (the head of a row before the
    other columns, free text last, as it wraps best) and within a rank narrow needs
    first. None when the minimums do not fit."""
    if sum(mins) > available:
        return None
    widths = list(mins)
    spare = available - sum(mins)
    ranks = list(rank) + [1] * (len(mins) - len(rank))
    for group in sorted(set(ranks)):
        order = sorted(
            (i for i in range(len(mins)) if ranks[i] == group), key=lambda i: maxs[i] - mins[i]
        )
        for k, i in enumerate(order):
            share = spare if k == len(order) - 1 else spare // (len(order) - k)
            give = max(min(maxs[i] - mins[i], share), 0)
            widths[i] += give
            spare -= give
    return widths


RANK = {"head": 0, "end": 1, "field": 1, "note": 2}  # who gets spare width first


def join_columns(
    cells: Sequence[list[Strip]], widths: Sequence[int], justify: Sequence[Justify]
) -> Iterator[Strip]:
    """Side-by-side cells (lists of lines) as lines, GAP apart, no trailing spaces."""
    height = max((len(c) for c in cells), default=0)
    for n in range(height):
        out = Strip()
        for i, cell in enumerate(cells):
            if i:
                out.add(" " * GAP, "", GAP)
            part = cell[n] if n < len(cell) else Strip()
            out.extend(part.pad(widths[i], justify[i] == "right"))
        yield out.rstrip()


def header_lines(
    headers: Sequence[str], widths: Sequence[int], justify: Sequence[Justify]
) -> list[Strip]:
    """The headers in bold, and a rule under each column (readable without colour)."""
    out = list(join_columns([[Strip(h, "bold")] for h in headers], widths, justify))
    out.append(Strip((" " * GAP).join("─" * w for w in widths), "dim"))
    return out


@dataclass
class Table:
    """Rows of cells under column headers, laid out for a width: one line of columns
    with the wide notes as columns when every word fits, else without them (notes under
    the table), else a stacked block per row. ``note_label(row, column)`` names a note."""

    columns: Sequence[Column]
    note_label: Callable[[int, Column], str] | None = None
    rows: list[Sequence[Cell]] = field(default_factory=list)

    def add_row(self, *cells: Cell | Line | str) -> None:
        self.rows.append([_cell(c) for c in cells])

    def slots(self) -> list[bool]:
        return [any(row[i].marked for row in self.rows) for i in range(len(self.columns))]

    def widths(self, keep: Sequence[int], width: int) -> list[int] | None:
        """The widths of the ``keep`` columns; with a note among them, only when every
        other column's values fit on their lines and the notes get WIDE_NOTE."""
        slots = self.slots()
        roomy = any(self.columns[i].role == "note" for i in keep)
        mins, maxs = [], []
        for i in keep:
            header = cell_len(self.columns[i].header)
            lo = max([header] + [r[i].min_width(slots[i]) for r in self.rows])
            hi = max([header] + [r[i].max_width(slots[i]) for r in self.rows])
            if self.columns[i].role == "note":
                lo = max(lo, min(hi, WIDE_NOTE))
            elif roomy:  # every value whole on its line (what is beneath may wrap)
                lo = max([lo] + [r[i].first().max_width(slots[i]) for r in self.rows])
            mins.append(lo)
            maxs.append(hi)
        rank = [RANK[self.columns[i].role] for i in keep]
        return fit(mins, maxs, width - GAP * (len(keep) - 1), rank)

    def lines(self, width: int, only: Sequence[int] | None = None) -> list[Strip]:
        """The table at this width; with ``only``, just those rows, laid out as the
        whole table would be (so that parts printed apart line up)."""
        width = max(width, MIN_WIDTH)
        chosen = range(len(self.rows)) if only is None else only
        every = range(len(self.columns))
        narrow = [i for i in every if self.columns[i].role != "note"]
        wide = [i for i in every if self.columns[i].role != "note" or self.columns[i].wide]
        for keep in (wide, narrow) if wide != narrow else (narrow,):
            widths = self.widths(keep, width)
            if widths is not None:
                notes = [i for i in every if i not in keep and not self.columns[i].optional]
                return self.columnar(keep, widths, chosen) + self.notes(notes, width, chosen)
        return self.stacked(width, chosen)

    def columnar(
        self, keep: Sequence[int], widths: Sequence[int], chosen: Iterable[int]
    ) -> list[Strip]:
        slots = self.slots()
        justify = [self.columns[i].justify for i in keep]
        out = header_lines([self.columns[i].header for i in keep], widths, justify)
        for n in chosen:
            row = self.rows[n]
            cells = [row[i].render(w, slots[i]) for i, w in zip(keep, widths, strict=True)]
            out.extend(join_columns(cells, widths, justify))
        return out

    def notes(self, columns: Sequence[int], width: int, chosen: Iterable[int]) -> list[Strip]:
        out: list[Strip] = []
        rows = list(chosen)
        for i in columns:
            column = self.columns[i]
            for n in rows:
                found = [w for x in self.rows[n][i].lines for w in x.words]
                if not found:
                    continue
                label = self.note_label(n, column) if self.note_label else f"{column.header}:"
                out += wrap(Line((*words(label), *found)), width, indent=2)
        return out

    def stacked(self, width: int, chosen: Iterable[int]) -> list[Strip]:
        roles = [c.role for c in self.columns]
        head = [i for i, r in enumerate(roles) if r == "head"]
        end = [i for i, r in enumerate(roles) if r == "end"]
        fields = [i for i, r in enumerate(roles) if r == "field"]
        notes = [i for i, r in enumerate(roles) if r == "note" and not self.columns[i].optional]
        slots = self.slots()
        head_widths = [max((r[i].max for r in self.rows), default=0) for i in head[:-1]]
        indent = (head_widths[0] + GAP) if head_widths else 2
        field_slots = [slots[i] for i in fields]
        grid = field_widths(
            [[(self.columns[i].header, row[i]) for i in fields] for row in self.rows],
            max(width, MIN_WIDTH) - indent,
            field_slots,
        )
        out: list[Strip] = []
        for n in chosen:
            row = self.rows[n]
            block = Block(
                [row[i] for i in head],
                row[end[0]] if end else None,
                [(self.columns[i].header, row[i]) for i in fields],
                [(self.columns[i].header, row[i]) for i in notes],
            )
            out += block.lines(width, indent, grid, head_widths, field_slots)
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from segments(self.lines(options.max_width), console)


def _cell(value: Cell | Line | str) -> Cell:
    if isinstance(value, Cell):
        return value
    return Cell((value,)) if isinstance(value, Line) else Cell.of(value)


@dataclass
class Block:
    """One row as a stacked block: the head cells on its first line (the end cell on its
    right), then labelled fields side by side, then labelled notes."""

    head: Sequence[Cell]
    end: Cell | None
    fields: Sequence[tuple[str, Cell]]
    notes: Sequence[tuple[str, Cell]] = ()

    def lines(
        self,
        width: int,
        indent: int,
        grid: Sequence[int],
        head_widths: Sequence[int] = (),
        slots: Sequence[bool] = (),
    ) -> list[Strip]:
        """The block at this width; ``grid`` gives each field its width (the widest
        value in any block, so that blocks line up)."""
        width = max(width, MIN_WIDTH)
        out = head_line(self.head, self.end, width, head_widths)
        out += field_lines(self.fields, grid, width, indent, slots)
        for label, cell in self.notes:
            for x in cell.lines:
                if x.words:
                    out += wrap(Line((Word(label, "dim"), *x.words)), width, indent)
        return out


def head_line(
    head: Sequence[Cell], end: Cell | None, width: int, head_widths: Sequence[int] = ()
) -> list[Strip]:
    """The head cells side by side, the last one taking what is left, and the end cell
    on the right of the first line (on a line of its own when there is no room)."""
    end_strip = end.render(end.max)[0] if end is not None and end.lines else Strip()
    fixed = list(head_widths[: len(head) - 1])
    rest = width - sum(fixed) - GAP * len(fixed)
    last = head[-1] if head else Cell()
    room = rest - (end_strip.width + GAP if end_strip.width else 0)
    alone = last.min > room
    if alone:
        room = rest
    cells = [c.render(w) for c, w in zip(head, fixed, strict=False)]
    body = last.render(max(room, last.min))
    justify: list[Justify] = [*(["right"] * len(fixed)), "left"]  # type: ignore[list-item]
    lines = list(join_columns([*cells, body], [*fixed, room], justify))
    if not end_strip.width:
        return lines
    if alone:
        return [*lines, end_strip.pad(width, right=True)]
    lines[0].pad(width - end_strip.width).extend(end_strip)
    return lines


def field_widths(
    rows: Sequence[Sequence[tuple[str, Cell]]], available: int, slots: Sequence[bool] = ()
) -> list[int]:
    """Each field's width in the stacked grid: its label, a space and its widest value,
    but no wider than the available width."""
    if not rows:
        return []
    out = []
    for i in range(len(rows[0])):
        slot = bool(slots[i]) if i < len(slots) else False
        widest = max(row[i][1].max_width(slot) for row in rows)
        out.append(min(cell_len(rows[0][i][0]) + 1 + widest, available))
    return out


def field_lines(
    fields: Sequence[tuple[str, Cell]],
    grid: Sequence[int],
    width: int,
    indent: int,
    slots: Sequence[bool] = (),
) -> list[Strip]:
    """Labelled fields packed left to right at their grid widths, a new line of fields
    whenever the next one would not fit."""
    out: list[Strip] = []
    rows: list[list[int]] = [[]]
    used = indent
    for i, (label, cell) in enumerate(fields):
        slot = bool(slots[i]) if i < len(slots) else False
        need = cell_len(label) + 1 + cell.max_width(slot)
        start = used + (GAP if rows[-1] else 0)
        if rows[-1] and start + min(need, grid[i]) > width:
            rows.append([])
            start = indent
        rows[-1].append(i)
        used = start + grid[i]
    for members in rows:
        parts: list[list[Strip]] = []
        widths: list[int] = []
        for n, i in enumerate(members):
            label, cell = fields[i]
            slot = bool(slots[i]) if i < len(slots) else False
            room = grid[i] if n < len(members) - 1 else width - indent - sum(widths) - GAP * n
            room = max(room, cell_len(label) + 1 + cell.min_width(slot))
            value = cell.render(room - cell_len(label) - 1, slot) or [Strip()]
            lines = [Strip(label, "dim").add(" ", "", 1).extend(value[0])]
            pad = " " * (cell_len(label) + 1)
            lines += [Strip(pad).extend(v) for v in value[1:]]
            parts.append(lines)
            widths.append(room)
        for strip in join_columns(parts, widths, ["left"] * len(parts)):
            out.append(Strip(" " * indent).extend(strip))
    return out


def wrap(source: Line | str, width: int, indent: int = 0, hang: int = HANG) -> list[Strip]:
    """Free text wrapped at spaces to the width: the first line at ``indent``, the rest
    ``hang`` further in. A word longer than a whole line is folded (a path, a URL:
    after a '/' where it can)."""
    text_line = line(source) if isinstance(source, str) else source
    width = max(width, MIN_WIDTH)
    room = width - indent - hang
    out: list[Strip] = []
    current = Strip(" " * indent)
    used, empty = indent, True
    for word in text_line.words:
        pieces = [word.text] if word.width <= room else _fold(word.text, room)
        for n, piece in enumerate(pieces):
            size = cell_len(piece)
            sep = "" if empty else (word.sep if n == 0 else "")
            if not empty and used + len(sep) + size > width:
                out.append(current)
                current = Strip(" " * (indent + hang))
                used, sep = indent + hang, ""
            current.add(sep, "", len(sep))
            current.add(piece, word.style, size)
            used += len(sep) + size
            empty = False
    out.append(current)
    return out


def _fold(text: str, room: int) -> list[str]:
    """A word no line holds (a path, a URL), in pieces: after a '/' where one falls
    within the line, else at the line's end."""
    pieces: list[str] = []
    while len(text) > room:
        cut = text.rfind("/", 0, room) + 1 or room
        pieces.append(text[:cut])
        text = text[cut:]
    return [*pieces, text] if text else pieces


def segments(lines: Iterable[Strip], console: Console) -> Iterator[Segment]:
    """Lines as rich segments, written as they are (no second wrapping)."""
    styles: dict[str, Style | None] = {"": None}

    def segment(text: str, name: str) -> Segment:
        if name not in styles:
            styles[name] = console.get_style(name)
        return Segment(text, styles[name])

    for strip in lines:
        run, name = "", ""
        for text, style in strip.pieces:  # pieces of one style in one segment
            if style != name and run:
                yield segment(run, name)
                run = ""
            run, name = run + text, style
        if run:
            yield segment(run, name)
        yield Segment.line()
