"""The simulated customer: scenarios (YAML), mood and dialogue policy, typed practice.

Public API::

    from coach.persona import load_scenario, Persona, Events
    persona = Persona(load_scenario("late-delivery", "en"), seed=1)
    persona.respond("Hello, this is Anna from Nordic Home, how can I help?", findings=[...])
"""

from coach.persona.engine import Events, Persona, Reply
from coach.persona.mood import Mood
from coach.persona.scenario import (OUTCOMES, Scenario, ScenarioFile, builtin_ids, load_scenario,
                                    load_scenario_file, parse_scenario)

__all__ = ["Events", "Persona", "Reply", "Mood", "OUTCOMES", "Scenario", "ScenarioFile", "builtin_ids",
           "load_scenario", "load_scenario_file", "parse_scenario"]
