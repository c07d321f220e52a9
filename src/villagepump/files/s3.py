"""Files in an S3-compatible bucket (FileSettings.DriverName = amazons3).

botocore is synchronous; each call runs on a small thread pool of this storage's own, so a slow
bucket holds up neither the event loop nor the default executor other code uses. A file goes up
in one PUT when it is smaller than one part, otherwise as a multipart upload, one part in memory
at a time; a failed upload is aborted, so no half file is ever visible. Reads stream the object
(or a byte range of it) in chunks.
"""

import asyncio
import logging
import re
import tempfile
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from villagepump.config import Settings

log = logging.getLogger(__name__)

READ_CHUNK = 256 * 1024
MIN_PART_SIZE = 5 * 1024 * 1024  # S3's smallest part but the last
THREADS = 8
_SAFE_KEY = re.compile(r"^[A-Za-z0-9_]+(/[A-Za-z0-9_.]+)*$")
T = TypeVar("T")


class StorageUnavailable(Exception):
    """The bucket cannot be used as configured; the message says why, for an administrator."""

    def __init__(self, error_id: str, message: str) -> None:
        super().__init__(message)
        self.error_id = error_id
        self.message = message


@dataclass(frozen=True)
class S3Options:
    """The FileSettings an S3 client is made from; equal options share one client."""

    bucket: str
    endpoint: str
    region: str
    access_key_id: str
    secret_access_key: str
    ssl: bool
    path_prefix: str
    sse: bool
    timeout_seconds: float
    part_size: int

    @classmethod
    def from_settings(cls, settings: Settings) -> "S3Options":
        return cls(
            bucket=settings.s3_bucket,
            endpoint=settings.s3_endpoint or "s3.amazonaws.com",
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key,
            ssl=settings.s3_ssl,
            path_prefix=settings.s3_path_prefix.strip("/"),
            sse=settings.s3_sse,
            timeout_seconds=(settings.s3_request_timeout_ms if settings.s3_request_timeout_ms > 0 else 30000)
            / 1000,
            part_size=max(settings.s3_upload_part_size, MIN_PART_SIZE),
        )

    @property
    def endpoint_url(self) -> str:
        if "://" in self.endpoint:
            return self.endpoint
        return ("https://" if self.ssl else "http://") + self.endpoint


def _is_missing(error: ClientError) -> bool:
    code = str(error.response.get("Error", {}).get("Code", ""))
    return code in ("404", "NoSuchKey", "NotFound")


class S3Storage:
    def __init__(self, options: S3Options) -> None:
        # Imported here: a server on local storage never pays for boto3 (time, memory).
        import boto3
        from botocore.config import Config

        self.options = options
        self._executor = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="s3")
        # Amazon's own endpoint takes bucket names in the host; other S3 servers (SeaweedFS,
        # MinIO, ...) mostly only in the path, as Mattermost's client decides too.
        addressing = "virtual" if options.endpoint.endswith("amazonaws.com") else "path"
        config = Config(
            region_name=options.region or "us-east-1",
            connect_timeout=options.timeout_seconds,
            read_timeout=options.timeout_seconds,
            retries={"max_attempts": 3, "mode": "standard"},
            max_pool_connections=THREADS,
            s3={"addressing_style": addressing},
            # Checksums only where S3 demands them: several S3-compatible servers refuse the
            # trailing checksums newer botocore sends by default.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        credentials: dict[str, str] = {}
        if options.access_key_id:
            credentials = {
                "aws_access_key_id": options.access_key_id,
                "aws_secret_access_key": options.secret_access_key,
            }
        # Without keys boto3 looks for the usual AWS ones (environment, instance role).
        self._client: Any = boto3.session.Session().client(
            "s3", endpoint_url=options.endpoint_url, config=config, **credentials
        )

    def _key(self, key: str) -> str:
        if not _SAFE_KEY.match(key) or ".." in key:
            raise ValueError(f"unsafe storage key {key!r}")
        return f"{self.options.path_prefix}/{key}" if self.options.path_prefix else key

    async def _call(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(function, *args, **kwargs))

    def local_path(self, key: str) -> Path | None:
        return None

    async def check(self) -> None:
        """Raises StorageUnavailable unless the bucket is there and these keys may use it."""
        try:
            await self._call(self._client.head_bucket, Bucket=self.options.bucket)
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            if code in ("404", "NoSuchBucket", "NotFound"):
                raise StorageUnavailable(
                    "api.file.test_connection_no_bucket.app_error",
                    f"The bucket {self.options.bucket!r} does not exist at {self.options.endpoint_url} "
                    "(FileSettings.AmazonS3Bucket, AmazonS3Endpoint).",
                ) from error
            if code in ("403", "401", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
                raise StorageUnavailable(
                    "api.file.test_connection_auth.app_error",
                    f"The S3 server at {self.options.endpoint_url} refused these credentials for bucket "
                    f"{self.options.bucket!r} (FileSettings.AmazonS3AccessKeyId, AmazonS3SecretAccessKey).",
                ) from error
            raise StorageUnavailable(
                "api.file.test_connection.app_error",
                f"The S3 bucket {self.options.bucket!r} at {self.options.endpoint_url} answered {code}.",
            ) from error
        except (BotoCoreError, ValueError) as error:
            raise StorageUnavailable(
                "api.file.test_connection.app_error",
                f"Unable to reach the S3 server at {self.options.endpoint_url}: {error}",
            ) from error

    async def write(self, key: str, chunks: AsyncIterator[bytes]) -> int:
        target = self._key(key)
        extra: dict[str, str] = {"ServerSideEncryption": "AES256"} if self.options.sse else {}
        part = _part_buffer()
        size = 0
        upload_id: str | None = None
        parts: list[dict[str, Any]] = []
        try:
            async for chunk in chunks:
                size += len(chunk)
                part.write(chunk)
                if part.tell() >= self.options.part_size:
                    if upload_id is None:
                        created = await self._call(
                            self._client.create_multipart_upload,
                            Bucket=self.options.bucket,
                            Key=target,
                            **extra,
                        )
                        upload_id = str(created["UploadId"])
                    parts.append(await self._upload_part(target, upload_id, len(parts) + 1, part))
                    part.close()
                    part = _part_buffer()
            if upload_id is None:
                part.seek(0)
                await self._call(
                    self._client.put_object, Bucket=self.options.bucket, Key=target, Body=part, **extra
                )
                return size
            if part.tell() or not parts:
                parts.append(await self._upload_part(target, upload_id, len(parts) + 1, part))
            await self._call(
                self._client.complete_multipart_upload,
                Bucket=self.options.bucket,
                Key=target,
                UploadId=upload_id,
                MultipartUpload={"Parts": parts},
            )
        except BaseException:
            if upload_id is not None:
                await self._abort(target, upload_id)
            raise
        finally:
            part.close()
        return size

    async def _upload_part(self, target: str, upload_id: str, number: int, part: IO[bytes]) -> dict[str, Any]:
        part.seek(0)
        answer = await self._call(
            self._client.upload_part,
            Bucket=self.options.bucket,
            Key=target,
            UploadId=upload_id,
            PartNumber=number,
            Body=part,
        )
        return {"PartNumber": number, "ETag": answer["ETag"]}

    async def _abort(self, target: str, upload_id: str) -> None:
        # Shielded: a cancelled request must still not leave its parts behind in the bucket.
        try:
            await asyncio.shield(
                self._call(
                    self._client.abort_multipart_upload,
                    Bucket=self.options.bucket,
                    Key=target,
                    UploadId=upload_id,
                )
            )
        except Exception:
            log.warning("could not abort the multipart upload of %s", target, exc_info=True)

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        if end is not None and end <= start:
            return
        request: dict[str, Any] = {"Bucket": self.options.bucket, "Key": self._key(key)}
        if start or end is not None:
            request["Range"] = f"bytes={start}-{'' if end is None else end - 1}"
        try:
            answer = await self._call(self._client.get_object, **request)
        except ClientError as error:
            # A range starting at or past the end (an empty file's first bytes): nothing to send.
            if error.response.get("Error", {}).get("Code") == "InvalidRange":
                return
            raise
        body = answer["Body"]
        try:
            while chunk := await self._call(body.read, READ_CHUNK):
                yield chunk
        finally:
            body.close()

    async def delete(self, key: str) -> None:
        await self._call(self._client.delete_object, Bucket=self.options.bucket, Key=self._key(key))

    async def exists(self, key: str) -> bool:
        try:
            await self._call(self._client.head_object, Bucket=self.options.bucket, Key=self._key(key))
        except ClientError as error:
            if _is_missing(error):
                return False
            raise
        return True

    async def delete_many(self, keys: list[str]) -> None:
        # S3 refuses a delete_objects request with no keys at all: a range() of none sends none.
        for start in range(0, len(keys), 1000):  # S3's most per request
            batch = [{"Key": self._key(key)} for key in keys[start : start + 1000]]
            answer = await self._call(
                self._client.delete_objects,
                Bucket=self.options.bucket,
                Delete={"Objects": batch, "Quiet": True},
            )
            failed = [e for e in answer.get("Errors", []) if e.get("Code") != "NoSuchKey"]
            if failed:
                raise OSError(f"S3 refused to delete {len(failed)} objects, first: {failed[0]}")

    def close(self) -> None:
        self._executor.shutdown(wait=False)
        self._client.close()


def _part_buffer() -> IO[bytes]:
    """Where a part gathers before it is sent: memory up to 1 MiB, then an unlinked temporary
    file. S3 wants parts of at least 5 MiB, and holding each in memory made a 100 MB upload
    cost the server 11-14 MB; botocore reads a file body in chunks to sign and send it."""
    return tempfile.SpooledTemporaryFile(max_size=1 << 20)  # noqa: SIM115 - closed by write()
