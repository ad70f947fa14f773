"""bench/cache_bench.py's settings: the bench settings with the public page cache on, in the database
table production uses without Redis, or in Redis with BENCH_REDIS_URL."""

import os

from bench.bench_settings import *  # noqa: F403

PAGE_CACHE_ENABLED = True
if os.environ.get("BENCH_REDIS_URL"):
    CACHES["pages"] = {  # noqa: F405
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["BENCH_REDIS_URL"],
        "KEY_PREFIX": "pages",
    }
else:
    CACHES["pages"] = {  # noqa: F405
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "parentvoice_page_cache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
