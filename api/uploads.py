"""Reading a scenario upload into {file name: content}: multipart files, a zip, or JSON.

Only the contract's file names at the top of the upload count (a zip may wrap them in one
folder). Names that leave the upload's root (`../x`, `/etc/x`, `C:\\x`) are refused, and a
zip is never unpacked beyond the size limit, whatever its headers claim.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
import zlib
from pathlib import PurePosixPath

from fastapi import Request
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from api.errors import BadRequest, PayloadTooLarge, Unprocessable
from api.schemas import ScenarioFilesIn

ZIP_MAGIC = b"PK\x03\x04"
MAX_UPLOAD_PARTS = 20
DRIVE = re.compile(r"^[A-Za-z]:")
IGNORED_PREFIXES = ("__MACOSX/",)

UploadedFiles = dict[str, bytes | str]


class UnsupportedMediaType(BadRequest):
    status_code = 415


async def scenario_files(request: Request, max_bytes: int) -> UploadedFiles:
    """The uploaded scenario's files, by content type; raises a 4xx ApiError if unreadable."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
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


def _files_from_json(body: bytes) -> UploadedFiles:
    try:
        document = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadRequest(f"request body is not valid JSON ({exc})") from None
    try:
        parsed = ScenarioFilesIn.model_validate(document)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, p['loc'])) or 'body'}: {p['msg']}" for p in exc.errors()
        )
        raise Unprocessable(problems) from None
    files: UploadedFiles = {}
    for name, text in parsed.files.items():
        files[member_name(name, "file")] = text
    return files


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
