"""Reads a service's /metrics answer (OpenMetrics text, as Prometheus scrapes it) from stdin with
the official client's parser, and prints its samples as JSON lines: {"name", "labels", "value"}.
A text the parser refuses exits non-zero. Run by backend/server/tests/api/metrics.rs."""

import json
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families

for family in text_string_to_metric_families(sys.stdin.read()):
    for sample in family.samples:
        print(json.dumps({"name": sample.name, "labels": sample.labels, "value": sample.value}))
