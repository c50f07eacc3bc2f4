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
    session_lifetime_hours: int = Field(
        12, ge=1, le=24 * 90, description="浏览器会话绝对有效期（小时），到期须重新登录"
    )
    session_idle_minutes: int = Field(
        30, ge=1, le=24 * 60, description="浏览器会话空闲超时（分钟）：超过此时间无操作即须重新登录"
    )
    login_max_failures: int = Field(
        5, ge=1, le=100, description="同一账号连续登录失败达到此次数即锁定"
    )
    login_address_max_failures: int = Field(
        20, ge=1, le=10_000, description="同一客户端地址登录失败达到此次数即暂停该地址登录"
    )
    login_failure_window_minutes: int = Field(
        15, ge=1, le=24 * 60, description="统计登录失败次数的时间窗口（分钟），窗口外的失败不再计数"
    )
    login_lockout_minutes: int = Field(
        30, ge=1, le=7 * 24 * 60, description="账号或地址被锁定的时长（分钟）"
    )
    login_backoff_seconds: int = Field(
        2,
        ge=0,
        le=3600,
        description="连续失败两次起须等待的秒数，之后每失败一次加倍（0 表示不等待，只按次数锁定）",
    )
    password_min_length: int = Field(8, ge=6, le=128, description="密码最短长度")
    password_min_classes: int = Field(
        3, ge=1, le=4, description="密码至少包含的字符类别数（大写字母、小写字母、数字、其他符号）"
    )
    api_token_days: int = Field(90, ge=1, le=3650, description="API 令牌有效天数")
    admin_may_review: bool = Field(
        False, description="是否允许管理员执行审核通过、退回与豁免（等保职责分离：默认不允许）"
    )
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
    ocr_parse_seconds: float = Field(
        180.0,
        description="可能需要文字识别的上传（PDF 与图片）解析一个文件的时间上限（秒）："
        "识别扫描件每页需数秒，并先载入识别模型",
    )
    ocr_parse_memory_mb: int = Field(
        3072,
        description="可能需要文字识别的上传（PDF 与图片）解析进程的内存上限（MB）：识别模型所需的"
        "地址空间超过 1 GB",
    )
    upload_keep_hours: float = Field(
        24.0,
        gt=0,
        description="网页导入中待确认的上传文件（及其预览用的页面图像）保留的小时数；"
        "超过的在下一次上传时删除，须重新上传",
    )
    upload_keep_mb: int = Field(
        2048,
        ge=1,
        description="待确认的上传文件及其页面图像合计占用的上限（MB）；超过时在下一次上传时"
        "先删除最早的",
    )
    parse_workers: int = Field(
        2, description="每个服务工作进程同时解析上传文件的进程数上限；其余请求排队等待"
    )
    hsts_seconds: int = Field(
        31_536_000,
        description="经 https 访问时 Strict-Transport-Security 的有效秒数（0 为不发送）",
    )
    trusted_proxies: str = Field(
        "",
        description="可信反向代理的地址（逗号分隔，可写网段如 10.0.0.0/8）：只采信来自这些地址的 "
        "X-Forwarded-For 与 X-Forwarded-Proto（客户端地址用于登录限制与审计）；为空时一概不采信",
    )
    shutdown_grace_seconds: int = Field(
        30,
        ge=1,
        le=3600,
        description="收到 SIGTERM 后等待进行中的请求完成的最长秒数，之后才强制结束",
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
