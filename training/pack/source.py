"""Reading pack files: YAML into plain data plus the line of every key and item, and errors
that name the file, the line and the path of each problem."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

Path_ = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class PackError:
    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class PackInvalid(Exception):
    """The pack has problems; nothing was written."""

    def __init__(self, errors: Iterable[PackError]):
        self.errors = sorted(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def format_path(path: Path_) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass
class SourceFile:
    """One YAML file of the pack: its data and where each path starts."""

    name: str  # as shown in messages, relative to the pack's parent folder
    data: object
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int:
        """The line of the deepest known prefix of ``path`` (1 when nothing matches)."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1

    def error(self, path: Path_, message: str) -> PackError:
        return PackError(self.name, self.line_of(path), format_path(path), message)

    def validate(self, model: type[BaseModel]) -> tuple[BaseModel | None, list[PackError]]:
        """Validate the whole file against ``model``; errors carry file:line and path."""
        try:
            return model.model_validate(self.data), []
        except ValidationError as exc:
            return None, [self._from_pydantic(err) for err in exc.errors()]

    def _from_pydantic(self, err) -> PackError:
        path = self._data_path(err["loc"])
        return self.error(path, _message(err))

    def _data_path(self, loc: tuple) -> Path_:
        # pydantic adds union/tag names to ``loc``; keep only parts that exist in the data.
        path: list[str | int] = []
        node = self.data
        for part in loc:
            if (
                isinstance(node, dict)
                and part in node
                or isinstance(node, list)
                and isinstance(part, int)
                and 0 <= part < len(node)
            ):
                path.append(part)
                node = node[part]
            elif isinstance(node, dict) and isinstance(part, str) and not _is_union_tag(part, node):
                path.append(part)  # a missing key: name it, at its parent's line
                node = None
        return tuple(path)


def _is_union_tag(part: str, node: dict) -> bool:
    """Whether a ``loc`` part names the union member pydantic tried (a discriminator value such
    as a question's ``kind``, or a generated name like ``function-after[...]``), not a key."""
    return part in {str(v) for v in node.values() if isinstance(v, str | int)} or "[" in part


def _message(err) -> str:
    kind = err["type"]
    given = err.get("input")
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    if kind in {"literal_error", "enum"}:
        expected = err.get("ctx", {}).get("expected", "")
        expected = expected.replace("'", "").replace(" or ", ", ")
        return f"{given!r} is not one of {expected}"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"{err['msg'].lower()}, got {given!r}"
    message = err["msg"]
    return message[len("Value error, ") :] if message.startswith("Value error, ") else message


# libyaml's parser is several times faster than the pure-Python one and keeps the same marks.
class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


# A pack file is written by hand: nothing real comes near these, and a file that does (a
# billion-laughs alias bomb, a generated monster) is refused before it can eat the machine.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000


def read_yaml(path: Path, name: str) -> SourceFile:
    """Parse one YAML file, keeping the line of every key and item; raise PackInvalid."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise PackInvalid(
                [PackError(name, 1, "", f"the file is over {MAX_FILE_BYTES // 1024 // 1024} MB")]
            )
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackInvalid([PackError(name, 1, "", f"cannot read file: {exc}")]) from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> SourceFile:
    """Parse YAML text (a pack file's, or what an author typed in the browser), keeping the
    line of every key and item; raise PackInvalid."""
    if len(text.encode("utf-8", "replace")) > MAX_FILE_BYTES:
        raise PackInvalid(
            [PackError(name, 1, "", f"the file is over {MAX_FILE_BYTES // 1024 // 1024} MB")]
        )
    if "\x00" in text:
        raise PackInvalid([PackError(name, 1, "", "the file holds a NUL character")])
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[Path_, int] = {}
        data = _build(node, (), lines, loader, set()) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or str(exc)
        raise PackInvalid([PackError(name, line, "", f"malformed YAML: {problem}")]) from None
    except yaml.reader.ReaderError as exc:
        # A character YAML refuses (a control character): name it and where it stands.
        line = text.count("\n", 0, exc.position) + 1
        problem = f"character #x{exc.character:04x} is not allowed"
        raise PackInvalid([PackError(name, line, "", f"malformed YAML: {problem}")]) from None
    except _DuplicateKey as exc:
        raise PackInvalid(
            [PackError(name, exc.line, format_path(exc.path), "duplicate key")]
        ) from None
    except _Refused as exc:
        raise PackInvalid([PackError(name, exc.line, format_path(exc.path), exc.reason)]) from None
    finally:
        loader.dispose()
    return SourceFile(name=name, data=data, lines=lines)


class _DuplicateKey(Exception):
    def __init__(self, path: Path_, line: int):
        self.path, self.line = path, line


class _Refused(Exception):
    def __init__(self, path: Path_, line: int, reason: str):
        self.path, self.line, self.reason = path, line, reason


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _build(
    node: yaml.Node, path: Path_, lines: dict[Path_, int], loader: yaml.SafeLoader, seen: set
):
    line = node.start_mark.line + 1
    if id(node) in seen:
        # The composer shares one node among an anchor and its aliases: name where it is reused.
        reason = "anchors and aliases (& and *) are not allowed in the pack"
        raise _Refused(path, lines.get(path, line), reason)
    seen.add(id(node))
    if len(seen) > MAX_NODES:
        raise _Refused(path, line, f"the file has more than {MAX_NODES} values")
    lines.setdefault(path, line)
    if node.tag not in _PLAIN_TAGS and not isinstance(node, yaml.ScalarNode):
        # Scalars with a foreign tag fail in the safe constructor; collections would not.
        raise _Refused(path, lines[path], f"the tag {node.tag!r} is not allowed in the pack")
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            child = (*path, key)
            if key in result:
                raise _DuplicateKey(child, key_node.start_mark.line + 1)
            lines[child] = key_node.start_mark.line + 1
            result[key] = _build(value_node, child, lines, loader, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines[child] = item.start_mark.line + 1
            items.append(_build(item, child, lines, loader, seen))
        return items
    return loader.construct_object(node, deep=True)


def dump_yaml(data: object) -> str:
    """Write pack data the way authors write it: block style, Unicode, multi-line as ``|``."""
    return yaml.dump(data, Dumper=_PackDumper, allow_unicode=True, sort_keys=False, width=100)


class _PackDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        # The pack refuses anchors and aliases: repeat what is shared.
        return True


def _str_representer(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_PackDumper.add_representer(str, _str_representer)
