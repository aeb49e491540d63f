"""Reading uploads: a scenario into {file name: content} (multipart files, a zip, or
JSON), and a roster.json body.

Only the contract's file names at the top of the upload count (a zip may wrap them in one
folder). Names that leave the upload's root (`../x`, `/etc/x`, `C:\\x`) are refused, and a
zip is never unpacked beyond the size limit, whatever its headers claim.

JSON bodies are parsed here rather than by FastAPI, so that every way a body can be
unusable gets its own message: not JSON, nested deeper than the parser goes, a string
that is not Unicode text (a lone surrogate escape such as "\\ud800", which no UTF-8 file
can hold and no response could repeat), or the wrong content type.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
import zlib
from pathlib import PurePosixPath
from typing import Any

from fastapi import Request
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from api.errors import BadRequest, PayloadTooLarge, Unprocessable
from api.schemas import ScenarioFilesIn
from roster.errors import ScenarioError

ZIP_MAGIC = b"PK\x03\x04"
MAX_UPLOAD_PARTS = 20
DRIVE = re.compile(r"^[A-Za-z]:")
IGNORED_PREFIXES = ("__MACOSX/",)
SURROGATE = "a lone surrogate escape, which encodes no character"
# Only a JSON escape can put a surrogate into a parsed string (UTF-8 cannot hold one): a
# body without any is not walked.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")

UploadedFiles = dict[str, bytes | str]


class UnsupportedMediaType(BadRequest):
    status_code = 415


async def scenario_files(request: Request, max_bytes: int) -> UploadedFiles:
    """The uploaded scenario's files, by content type; raises a 4xx ApiError if unreadable."""
    content_type = _media_type(request)
    if content_type == "application/json":
        return _files_from_json(await request.body())
    if content_type == "multipart/form-data":
        return await _files_from_form(request, max_bytes)
    if content_type in (
        "application/zip",
        "application/x-zip-compressed",
        "application/octet-stream",
    ):
        return files_from_zip(await request.body(), max_bytes)
    raise UnsupportedMediaType(
        f"unsupported content type '{content_type or 'none'}': send multipart/form-data "
        'files, an application/zip archive or application/json {"files": {name: text}}'
    )


async def roster_json_body(request: Request) -> dict[str, Any]:
    """The roster.json document a request carries; a 4xx ApiError saying why if unusable.

    A body without a content type is read as JSON, as FastAPI would; any other type than
    JSON is refused (415), since a form or text body would only fail as "not an object".
    """
    content_type = _media_type(request)
    if content_type and not _is_json_type(content_type):
        raise UnsupportedMediaType(
            f"unsupported content type '{content_type}': send roster.json with "
            "Content-Type: application/json"
        )
    body = await request.body()
    if not body:
        raise BadRequest("request body is empty: send roster.json as application/json")
    document = parse_json(body)
    if not isinstance(document, dict):
        raise Unprocessable(
            f"roster.json must be a JSON object with status, shifts and coverage, "
            f"not {_json_kind(document)}"
        )
    if SURROGATE_ESCAPE.search(body) and (where := _invalid_text_in(document)) is not None:
        raise Unprocessable(f"roster.json: {where} is not valid Unicode text ({SURROGATE})")
    return document


def parse_json(body: bytes) -> Any:
    """The JSON document in a request body; BadRequest (400) saying why it is unreadable."""
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadRequest(f"request body is not valid JSON ({exc})") from None
    except RecursionError:
        # The parser recurses once per level of nesting; no upload needs more than a few.
        raise BadRequest(
            "request body is not valid JSON for this server: its arrays or objects are "
            "nested too deeply"
        ) from None


def _files_from_json(body: bytes) -> UploadedFiles:
    document = parse_json(body)
    try:
        parsed = ScenarioFilesIn.model_validate(document)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, p['loc'])) or 'body'}: {p['msg']}" for p in exc.errors()
        )
        raise Unprocessable(problems) from None
    files: UploadedFiles = {}
    for name, text in parsed.files.items():
        if _lone_surrogate_at(name) is not None:
            raise BadRequest(f"files: the file name {_printable(name)} is not valid Unicode text")
        plain = member_name(name, "file")
        files[plain] = _unicode_text(plain, text)
    return files


def _unicode_text(name: str, text: str) -> str:
    """`text` if it is Unicode text; a ScenarioError naming the file, line and column if
    it holds a lone surrogate (a JSON escape like "\\ud800" that encodes no character)."""
    at = _lone_surrogate_at(text)
    if at is None:
        return text
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    raise ScenarioError(
        name,
        f"text is not valid Unicode: line {line}, character {column} is {SURROGATE} "
        f"({_printable(text[at])}); send the file's text as it is in UTF-8",
        row=line,
    )


def _lone_surrogate_at(text: str) -> int | None:
    """The index of the first lone surrogate in `text`, None if it is Unicode text."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def _invalid_text_in(document: Any) -> str | None:
    """Where a string (key or value) holding a lone surrogate is, as a JSON path like
    'shifts[3].agent_id'; None if every string is Unicode text. Iterative: the document
    may be as deep as the parser allowed."""
    pending: list[tuple[str, Any]] = [("", document)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, str):
            if _lone_surrogate_at(value) is not None:
                return path or "the body"
        elif isinstance(value, dict):
            for key, item in value.items():
                if _lone_surrogate_at(key) is not None:
                    return f"the key {_printable(key)} in {path or 'the body'}"
                pending.append((f"{path}.{key}" if path else key, item))
        elif isinstance(value, list):
            pending.extend((f"{path}[{i}]", item) for i, item in enumerate(value))
    return None


def _printable(text: str) -> str:
    """`text` quoted, with anything that cannot go into a response escaped."""
    return "'" + text.encode("utf-8", "backslashreplace").decode("utf-8") + "'"


def _json_kind(document: Any) -> str:
    kinds = {list: "an array", str: "a string", bool: "true or false", type(None): "null"}
    return kinds.get(type(document), "a number")


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _is_json_type(media_type: str) -> bool:
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


async def _files_from_form(request: Request, max_bytes: int) -> UploadedFiles:
    form = await request.form(max_files=MAX_UPLOAD_PARTS, max_fields=MAX_UPLOAD_PARTS)
    files: UploadedFiles = {}
    try:
        for _field, value in form.multi_items():
            if not isinstance(value, UploadFile):
                continue
            if not value.filename:
                raise BadRequest("a file part of the form has no file name")
            content = await value.read()
            if value.filename.lower().endswith(".zip") or content.startswith(ZIP_MAGIC):
                files.update(files_from_zip(content, max_bytes))
            else:
                files[member_name(value.filename, "file")] = content
    finally:
        await form.close()
    if not files:
        raise Unprocessable("the form holds no files: send scenario.toml, agents.csv, ...")
    return files


def files_from_zip(data: bytes, max_bytes: int) -> UploadedFiles:
    """The files at the archive's root, or inside its single top folder."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise BadRequest("the upload is not a readable zip archive") from None
    with archive:
        entries = [
            info
            for info in archive.infolist()
            if not info.is_dir() and not info.filename.startswith(IGNORED_PREFIXES)
        ]
        paths = [_member_path(info.filename) for info in entries]
        if sum(info.file_size for info in entries) > max_bytes:
            raise PayloadTooLarge(f"the zip unpacks to more than {max_bytes} bytes")
        root = _single_top_folder(paths)
        files: UploadedFiles = {}
        budget = max_bytes
        for info, path in zip(entries, paths, strict=True):
            inside = path.parts[1:] if root else path.parts
            if len(inside) != 1:
                continue  # nested deeper than the scenario folder: not a scenario file
            content = _read_bounded(archive, info, budget)
            budget -= len(content)
            files[inside[0]] = content
    if not files:
        raise Unprocessable("the zip holds no files at its root or in one top folder")
    return files


def member_name(name: str, what: str) -> str:
    """A plain file name from an upload; a path part is allowed but must stay inside."""
    return _member_path(name, what).name


def _member_path(name: str, what: str = "zip entry") -> PurePosixPath:
    normal = name.replace("\\", "/")
    parts = [p for p in normal.split("/") if p not in ("", ".")]
    if (
        not parts
        or normal.startswith("/")
        or DRIVE.match(normal)
        or ".." in parts
        or "\x00" in normal
    ):
        raise BadRequest(
            f"{what} '{name}' points outside the upload; use plain names like agents.csv"
        )
    return PurePosixPath(*parts)


def _single_top_folder(paths: list[PurePosixPath]) -> bool:
    """True when every entry sits inside one folder (a zipped scenario folder)."""
    tops = {p.parts[0] for p in paths}
    return len(tops) == 1 and all(len(p.parts) > 1 for p in paths)


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    try:
        with archive.open(info) as member:
            content = member.read(budget + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
        raise BadRequest(f"zip entry '{info.filename}' cannot be read ({exc})") from None
    if len(content) > budget:
        raise PayloadTooLarge("the zip unpacks to more than the upload limit")
    return content
