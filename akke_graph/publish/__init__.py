"""The open-data release: ``publish`` writes it (:mod:`.build`, whole or nothing by
:mod:`.release`), ``diff`` compares two of them (:mod:`.diff`)."""

from akke_graph.publish.build import publish
from akke_graph.publish.release import PublishOptions, PublishResult

__all__ = ["PublishOptions", "PublishResult", "publish"]
