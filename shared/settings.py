"""One settings object for every service; each knob has an env var (prefix-free, as operators expect)."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from contracts.topics import Topics


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    kafka_bootstrap_servers: str = Field("127.0.0.1:9092", description="KAFKA_BOOTSTRAP_SERVERS")
    mongodb_url: str = Field("mongodb://127.0.0.1:27017/", description="MONGODB_URL")
    mongodb_database: str = Field("continuity", description="MONGODB_DATABASE")
    topic_prefix: str = Field("", description="TOPIC_PREFIX: namespace for topics (tests, tenants)")
    topic_partitions: int = Field(6, description="TOPIC_PARTITIONS when the project creates topics")
    consumer_group_prefix: str = Field("continuity", description="CONSUMER_GROUP_PREFIX")
    metrics_port: int = Field(0, description="METRICS_PORT: Prometheus endpoint; 0 = off")
    message_log: bool = Field(True, description="MESSAGE_LOG: FastStream's log, a line per message; false = none")

    @property
    def topics(self) -> Topics:
        return Topics(self.topic_prefix)

    def group_id(self, service: str) -> str:
        return f"{self.consumer_group_prefix}-{self.topic_prefix}{service}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
