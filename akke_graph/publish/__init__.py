"""The open-data release: ``publish`` writes it (see :mod:`akke_graph.publish.release`), ``diff``
compares two of them (:mod:`akke_graph.publish.diff`)."""

from akke_graph.publish.release import PublishOptions, PublishResult, publish

__all__ = ["PublishOptions", "PublishResult", "publish"]
