"""A scripted Asker: plays replies to the flow and records what it was asked, no terminal."""

from __future__ import annotations

from typing import Any

from assistant.asking import command_of


class ScriptedAsker:
    def __init__(self, replies: list[Any]):
        self.replies = list(replies)
        self.asked: list[str] = []
        self.sections: list[str] = []
        self.notices: list[str] = []
        self.reviews: list[Any] = []
        self.asks: list[Any] = []
        self.overview = None
        self.helps: list[Any] = []
        self.choices: list[tuple[str, list[str]]] = []
        self.delivered_results: list[Any] = []

    def _next(self) -> Any:
        if not self.replies:
            raise EOFError  # the script is over: as if the user pressed Ctrl-D
        reply = self.replies.pop(0)
        if isinstance(reply, str):
            return command_of(reply) or reply
        return reply

    def welcome(self, overview) -> None:
        self.overview = overview

    def section(self, section, number, count) -> None:
        self.sections.append(section.id)

    def ask(self, ask) -> Any:
        self.asks.append(ask)
        self.asked.append(f"{ask.item_of.id}.{ask.question.id}" if ask.item_of else ask.question.id)
        return self._next()

    def group(self, ask) -> Any:
        self.asked.append(f"groupe:{ask.question.id}")
        return self._next()

    def review(self, review) -> Any:
        self.asked.append("sommaire")
        self.reviews.append(review)
        return self._next()

    def help(self, question, prompt) -> None:
        self.asked.append(f"aide:{question.id if question is not None else 'sommaire'}")
        self.helps.append(prompt)

    def notice(self, message: str) -> None:
        self.notices.append(message)

    def info(self, message: str) -> None:
        self.notices.append(message)

    def findings(self, section, findings) -> None:
        self.asked.append("verifications")
        self.found = findings

    def grid(self, grid) -> None:
        self.asked.append("grille")
        self.grid_shown = grid

    def example(self, question) -> None:
        self.asked.append(f"exemple:{question.id}")

    def choose(self, title: str, options: list[str]) -> int:
        self.asked.append(f"choix:{title}")
        self.choices.append((title, options))
        return int(self._next())

    def delivered(self, result) -> None:
        self.asked.append("document")
        self.delivered_results.append(result)
