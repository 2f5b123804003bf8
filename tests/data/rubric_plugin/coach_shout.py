"""A third-party check kind for coach (the worked example of docs/rubrics.md).

``shout.v1`` flags an utterance written in capitals - on a transcript that means the agent was
shouting. It reads the ORIGINAL text (doc.original), so it also shows how a check can look past
normalisation.
"""

from pydantic import BaseModel, ConfigDict, Field


class ShoutParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_words: int = Field(3, ge=1, description="at least this many capitalised words in a row")
    why: str = "shouting (capital letters)"


class ShoutCheck:
    level = "utterance"

    def __init__(self, params):
        self.p = params

    def find(self, doc, a=0, b=None):
        from coach.rubric.checks import Hit

        words = [(i, doc.original[s:e]) for i, (s, e) in enumerate(zip(doc.tok_ostart, doc.tok_oend))]
        run = [i for i, w in words if len(w) > 1 and w.isupper()]
        if len(run) < self.p.min_words:
            return []
        first, last = run[0], run[-1]
        return [Hit(doc.tok_nstart[first], doc.tok_nend[last], self.p.why)]


def build(params, ctx, loc=()):
    return ShoutCheck(params)


def register(registry):
    registry.register("shout.v1", ShoutParams, build, doc="Capitalised words: the agent is shouting.")
