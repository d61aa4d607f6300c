"""Reading survey exports and writing outputs.

One reader module per format; each yields a :class:`SurveyFile` whose
``scan`` gives the same lazy wide frame (one row per respondent, answers as
strings), so nothing downstream can tell where the data came from.
"""

from cxgap.io.detect import open_survey
from cxgap.io.output import write_output
from cxgap.io.source import SurveyFile

__all__ = ["SurveyFile", "open_survey", "write_output"]
