"""The end of the dialogue: the Word document the user came for. Offered when the last question
is answered and on `/exporter` at the review; written through the flow's `deliver` callback (the
export), shown through the asker. No terminal here."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .checks import blocking, blocks_submission
from .errors import AapError
from .i18n import _

if TYPE_CHECKING:
    from .asking import Asker
    from .dossier import Dossier

REVIEW, SUBMISSION = "relecture", "depot"


def offer_documents(asker: Asker, dossier: Dossier, findings: list[Any],
                    deliver: Callable[[Dossier, str], Any]) -> None:
    """Ask which version to write (review, submission, both, later) and write it. A submission
    the checks refuse is not written: the blocking findings are shown and the review version
    is offered instead."""
    refused = blocks_submission(findings)
    choices = [
        (_("La version de relecture, à faire relire dans l'établissement"), (REVIEW,)),
        (_("La version de dépôt, avec le dossier des fichiers à déposer") if not refused else
         _("La version de dépôt (pas encore possible : des points bloquants ou des erreurs demeurent)"), (SUBMISSION,)),
        (_("Les deux"), (REVIEW, SUBMISSION)),
        (_("Plus tard (aap exporter le fera)"), ()),
    ]
    picked = asker.choose(_("Produire le document Word maintenant ?"), [label for label, _modes in choices])
    modes = choices[picked][1]
    for mode in modes:
        if mode == SUBMISSION and refused:
            asker.findings(None, blocking(findings))
            asker.notice(_("la version de dépôt n'est pas produite tant que ces points demeurent ; chacun dit ce "
                           "qu'il demande (une réponse se corrige en tapant son numéro au sommaire)"))
            if REVIEW not in modes and asker.choose(_("Produire la version de relecture à la place ?"),
                                                    [_("Oui"), _("Non")]) == 0:
                _write(asker, dossier, REVIEW, deliver)
            continue
        _write(asker, dossier, mode, deliver)


def _write(asker: Asker, dossier: Dossier, mode: str, deliver: Callable[[Dossier, str], Any]) -> None:
    try:
        result = deliver(dossier, mode)
    except AapError as error:
        asker.notice(error.message)
        return
    except OSError as error:
        from .files import reason

        asker.notice(_("le document n'a pas pu être écrit : {raison}").format(raison=reason(error)))
        return
    asker.delivered(result)
