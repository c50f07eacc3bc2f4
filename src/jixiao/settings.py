"""Application settings (pydantic-settings): every field can be set as ``JIXIAO_<NAME>``.

The defaults run on a local SQLite file under ``data_dir``; set ``JIXIAO_DATABASE_URL`` to use
PostgreSQL (``postgresql+psycopg://user@host/db``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "jixiao-development-secret-change-me"
MIN_SECRET_LENGTH = 32
MIN_SECRET_DISTINCT = 10


def weak_secret(key: str) -> str | None:
    """Why ``key`` may not sign sessions on a public host, or None when it is strong enough:
    not the development default, at least 32 characters, at least 10 different ones."""
    if key == DEV_SECRET:
        return "当前为开发用默认密钥"
    if len(key) < MIN_SECRET_LENGTH:
        return f"长度只有 {len(key)} 个字符（至少 {MIN_SECRET_LENGTH} 个）"
    if len(set(key)) < MIN_SECRET_DISTINCT:
        return f"只用了 {len(set(key))} 种字符（至少 {MIN_SECRET_DISTINCT} 种）"
    return None


class Settings(BaseSettings):
    """Configuration of the database, the web app and the accounts."""

    model_config = SettingsConfigDict(env_prefix="JIXIAO_", extra="ignore")

    data_dir: Path = Field(Path("var"), description="数据目录：SQLite 文件与上传文件存放处")
    database_url: str | None = Field(
        None, description="数据库地址；为空时使用 data_dir 下的 SQLite 文件 jixiao.db"
    )
    secret_key: str = Field(DEV_SECRET, description="会话签名密钥；生产环境必须设置")
    session_days: int = Field(14, description="浏览器会话有效天数")
    max_upload_bytes: int = Field(
        20 * 1024 * 1024,
        description="导入文件大小上限（字节），与读取器的文件上限（ReadLimits.max_bytes）一致；"
        "超过时在读完请求之前即答 413",
    )
    max_body_bytes: int = Field(
        1024 * 1024, description="JSON 与表单请求体大小上限（字节）；超过时在读完之前即答 413"
    )
    parse_seconds: float = Field(
        30.0,
        description="网页与接口导入时解析一个文件的时间上限（秒），在独立进程中执行，超时即答 422",
    )
    parse_memory_mb: int = Field(
        1024, description="网页与接口导入时解析进程的内存上限（MB），超过即答 422"
    )
    parse_workers: int = Field(2, description="同时解析上传文件的进程数上限；其余请求排队等待")
    hsts_seconds: int = Field(
        31_536_000,
        description="经 https 访问时 Strict-Transport-Security 的有效秒数（0 为不发送）",
    )
    page_size_max: int = Field(200, description="列表接口每页条数上限")
    echo_sql: bool = Field(False, description="打印 SQL 语句（调试用）")

    @property
    def resolved_database_url(self) -> str:
        """The database URL in use: ``database_url`` or the SQLite file in ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'jixiao.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")


@cache
def get_settings() -> Settings:
    """The process-wide settings read from the environment (cached)."""
    return Settings()
