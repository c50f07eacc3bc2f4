"""A page without ruling lines: its recognised text pieces clustered into rows and columns.

Rows are pieces whose centres sit within one another's height; columns are the x-ranges that
the pieces of the rows holding two or more pieces cover, overlapping ranges joined. A piece
spanning several column ranges is one cell spanning those columns. Rows of a single piece
before the first row of several are the text above the table (title, ``单位：万元``).
"""

from __future__ import annotations

from jixiao.ingest.readers.scan.cells import Piece

Span = tuple[float, float]


def rows_of(pieces: list[Piece]) -> list[list[Piece]]:
    """Pieces grouped into rows, top to bottom, each left to right."""
    rows: list[list[Piece]] = []
    for piece in sorted(pieces, key=lambda p: (p.box[1] + p.box[3]) / 2):
        centre = (piece.box[1] + piece.box[3]) / 2
        if rows:
            last = rows[-1]
            top = min(p.box[1] for p in last)
            bottom = max(p.box[3] for p in last)
            if top <= centre <= bottom:
                last.append(piece)
                continue
        rows.append([piece])
    return [sorted(row, key=lambda p: p.box[0]) for row in rows]


def column_spans(rows: list[list[Piece]]) -> list[Span]:
    """The x-ranges of the columns: the pieces of multi-piece rows, overlaps joined."""
    spans = sorted((p.box[0], p.box[2]) for row in rows if len(row) > 1 for p in row)
    out: list[Span] = []
    for left, right in spans:
        if out and left <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], right))
        else:
            out.append((left, right))
    return out


def columns_of(piece: Piece, spans: list[Span]) -> tuple[int, int]:
    """First and last column (0-based, inclusive) the piece overlaps."""
    hit = [i for i, (a, b) in enumerate(spans) if piece.box[0] < b and piece.box[2] > a]
    if not hit:
        nearest = min(range(len(spans)), key=lambda i: abs(spans[i][0] - piece.box[0]))
        return nearest, nearest
    return hit[0], hit[-1]


def boundaries(spans: list[Span]) -> list[float]:
    """Column boundaries: the outer edges and the middle of each gap between columns."""
    inner = [(spans[i][1] + spans[i + 1][0]) / 2 for i in range(len(spans) - 1)]
    return [spans[0][0], *inner, spans[-1][1]]
