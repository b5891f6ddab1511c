"""Reading a registry file as people save it: any of the usual encodings, bounded in size,
depth and alias expansion, with the line of every mapping kept for the problem list.

Refusals are ``RegistryReadError(code, **params)``; the console renders them from locales.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

import yaml

from core.errors import DomainError
from core.registry_file import Located, plain

# A county of 1,000 forces and 5,000 people is 0.7 MB and 80,000 YAML values; memory is about
# 400 bytes a value while parsing, so the value count is what keeps a junk file harmless.
MAX_BYTES = 2 * 1024 * 1024
MAX_XLSX_BYTES = 10 * 1024 * 1024  # zipped: 1,000 forces and 8,000 people are about 0.4 MB
MAX_VALUES = 250_000
MAX_DEPTH = 32  # the registry itself nests 6 deep
MAX_ALIAS_VALUES = 100_000  # values YAML aliases may add by repetition, all told

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
_BAD_INDENT = re.compile(r"^[ \t\u3000]*([\t\u3000])[ \t\u3000]*[^\s#]", re.MULTILINE)

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RegistryReadError(DomainError):
    """The file could not be read as YAML; nothing was looked at beyond the reason."""


@dataclass(frozen=True)
class RawRegistry:
    data: Any
    encoding: str  # as people call it: UTF-8, GBK/GB18030, UTF-16


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding; WPS and Notepad save GBK or UTF-16 by default."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], codec, name), name
    if b"\x00" in data[:4096]:
        # UTF-16 without a mark: the ASCII of keys and indentation leaves every other byte 0.
        head = data[:4096]
        codec = "utf-16-le" if head[1::2].count(0) >= head[0::2].count(0) else "utf-16-be"
        return _strict(data, codec, "UTF-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030"), "GBK/GB18030"
        except UnicodeDecodeError:
            raise RegistryReadError("registry.read.encoding", line=_line_at(
                data, utf8_error.start)) from None


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        line = data[:e.start].decode(codec, "replace").count("\n") + 1
        raise RegistryReadError("registry.read.bad_bytes", encoding=name, line=line) from None


class _LocatingLoader(_Loader):  # type: ignore[misc]
    """Builds ``Located`` mappings; a value YAML cannot construct stays text for core to name."""


def _construct_located(loader: Any, node: yaml.MappingNode) -> Any:
    data = Located()
    data.line = node.start_mark.line + 1
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            key = repr(key)
        name = plain(str(key))
        line = key_node.start_mark.line + 1
        if key in data:
            data.duplicates.append((name, line))
        data.key_lines.setdefault(name, line)
        data[key] = loader.construct_object(value_node, deep=True)


def _construct_lenient(base: Any) -> Any:
    def construct(loader: Any, node: yaml.Node) -> Any:
        try:
            return base(loader, node)
        except (ValueError, OverflowError):
            # 2026-02-30 or an int of 5,000 digits: the value stays text and core names it.
            return node.value

    return construct


_LocatingLoader.add_constructor("tag:yaml.org,2002:map", _construct_located)
for _tag, _base in (("timestamp", yaml.SafeLoader.construct_yaml_timestamp),
                    ("int", yaml.SafeLoader.construct_yaml_int),
                    ("float", yaml.SafeLoader.construct_yaml_float)):
    _LocatingLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _construct_lenient(_base))


def _line(event: yaml.Event) -> int | str:
    return event.start_mark.line + 1 if event.start_mark is not None else "?"


def _check_shape(text: str) -> None:
    """Size, depth and alias expansion, from the event stream, which needs no recursion.

    Composing the nodes recurses once per level (20,000 brackets overflow the stack), and an
    alias bomb of a few hundred bytes expands to billions of values when walked.
    """
    loader = _Loader(text)
    try:
        depth = 0
        counts: list[int] = [0]
        anchors: dict[str, int] = {}
        opened: list[str | None] = []
        added = 0
        values = 0
        while (event := loader.get_event()) is not None:
            values += isinstance(event, yaml.NodeEvent)
            if values > MAX_VALUES:
                raise RegistryReadError("registry.read.too_many_values", limit=MAX_VALUES,
                                        line=_line(event))
            if isinstance(event, yaml.AliasEvent):
                size = anchors.get(event.anchor or "", 1)
                added += size
                counts[-1] += size
                if added > MAX_ALIAS_VALUES:
                    raise RegistryReadError("registry.read.aliases", limit=MAX_ALIAS_VALUES,
                                            line=_line(event))
            elif isinstance(event, yaml.ScalarEvent):
                counts[-1] += 1
                if event.anchor:
                    anchors[event.anchor] = 1
            elif isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise RegistryReadError("registry.read.too_deep", limit=MAX_DEPTH,
                                            line=_line(event))
                counts.append(1)
                opened.append(event.anchor)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                size = counts.pop()
                counts[-1] += size
                anchor = opened.pop()
                if anchor:
                    anchors[anchor] = size
    finally:
        loader.dispose()


def _check_indentation(text: str) -> None:
    found = _BAD_INDENT.search(text)
    if found is None:
        return
    line = text.count("\n", 0, found.start()) + 1
    lines = len(_BAD_INDENT.findall(text))
    key = "registry.read.tab" if found.group(1) == "\t" else "registry.read.fullwidth_space"
    raise RegistryReadError(key, line=line, lines=lines)


def _yaml_error(text: str, error: yaml.YAMLError) -> RegistryReadError:
    if isinstance(error, yaml.reader.ReaderError):
        code = error.character if isinstance(error.character, int) else 0
        # libyaml counts bytes, PyYAML characters: find the character itself instead.
        at = text.count("\n", 0, max(text.find(chr(code)), 0)) + 1
        return RegistryReadError("registry.read.control_char", line=at, char=f"U+{code:04X}")
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line: int | None = mark.line + 1 if mark is not None else None
    if "nesting depth" in str(error):  # libyaml's own limit, reached while scanning ahead
        return RegistryReadError("registry.read.too_deep", limit=MAX_DEPTH, line=line or "?")
    if line is not None:
        near = text.splitlines()[max(0, line - 2):line]
        if any("：" in part for part in near):
            return RegistryReadError("registry.read.fullwidth_colon", line=line)
        if any(":\u3000" in part for part in near):
            lines = sum(":\u3000" in part for part in text.splitlines())
            return RegistryReadError("registry.read.fullwidth_space", line=line, lines=lines)
    return RegistryReadError("registry.not_yaml", line=line or "?")


def parse_text(text: str) -> Any:
    text = text.removeprefix("\ufeff")
    _check_indentation(text)
    try:
        _check_shape(text)
        loader = _LocatingLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        raise _yaml_error(text, e) from None
    except RecursionError:
        # Only reachable if a future check lets deeper nesting through; never a traceback.
        raise RegistryReadError("registry.read.too_deep", limit=MAX_DEPTH, line="?") from None
    if data is None:
        raise RegistryReadError("registry.read.empty")
    return data


def max_bytes(name: str) -> int:
    """The largest file of this name read: a workbook is zipped, and checked unpacked."""
    return MAX_XLSX_BYTES if PurePath(name).suffix.lower() == ".xlsx" else MAX_BYTES


def read_bytes(path: Path) -> bytes:
    limit = max_bytes(path.name)
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except OSError as e:
        raise RegistryReadError("registry.unreadable", why=e.strerror or str(e)) from None
    if len(data) > limit:
        raise RegistryReadError("registry.read.too_big", limit_mb=limit // (1024 * 1024))
    return data


def _read_yaml(data: bytes) -> RawRegistry:
    text, encoding = decode(data)
    return RawRegistry(parse_text(text), encoding)


def _read_xlsx(data: bytes) -> RawRegistry:
    from bot.registry_xlsx import read_xlsx  # openpyxl is loaded for a workbook only

    return read_xlsx(data)


# The one place a file's name chooses its reader.
READERS: dict[str, Callable[[bytes], RawRegistry]] = {
    ".yaml": _read_yaml, ".yml": _read_yaml, ".xlsx": _read_xlsx}


def reader_for(name: str) -> Callable[[bytes], RawRegistry] | None:
    return READERS.get(PurePath(name).suffix.lower())


def read_named(name: str, data: bytes) -> RawRegistry:
    """A registry file's bytes read by the reader its extension names; an unknown extension
    is refused, naming the ones that are read."""
    limit = max_bytes(name)
    if len(data) > limit:
        raise RegistryReadError("registry.read.too_big", limit_mb=limit // (1024 * 1024))
    reader = reader_for(name)
    if reader is None:
        raise RegistryReadError("registry.read.unknown_type", known=" ".join(READERS))
    return reader(data)


def read_registry(path: Path) -> RawRegistry:
    # The console reads any other extension as YAML, as it always has.
    data = read_bytes(path)
    return (reader_for(path.name) or _read_yaml)(data)
