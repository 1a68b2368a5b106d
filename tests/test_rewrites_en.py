"""English rewrites: offered only when every word is right, otherwise none.

Each row is a sentence an SOP writer might produce, where it stands (a numbered step or a
paragraph), the rule, and the exact rewrite sop-lint offers, or ``None`` when the finding
explains without one. Rows marked "was wrong" are rewrites earlier versions offered.
"""

from __future__ import annotations

import pytest

from sop_lint import check_text
from sop_lint.config import parse_config

STEP, PARAGRAPH = True, False

REWRITES = [
    # -- modal instead of imperative (I001) -------------------------------------------------
    (
        STEP,
        "Staff should greet the customer within one minute.",
        "I001",
        "Greet the customer within one minute.",
    ),
    (STEP, "Staff must not leave the counter.", "I001", "Do not leave the counter."),
    (
        STEP,
        "If the customer has no receipt, staff should offer store credit.",
        "I001",
        "If the customer has no receipt, offer store credit.",
    ),
    (
        STEP,
        "You need to log every call in the ticket system.",
        "I001",
        "Log every call in the ticket system.",
    ),
    # "The clerk" may not be the reader: dropping the subject would change who acts.
    (STEP, "The clerk should check the receipt.", "I001", None),
    # A second modal would be left behind.
    (STEP, "The manager must sign the form, and staff should check the receipt.", "I001", None),
    # Nothing after the verb: "When your certificate expires, run." would be incomplete.
    (STEP, "When your certificate expires, you will need to run:", "I001", None),
    # Modal + passive: the passive rule words the step.
    (STEP, "The form must be signed.", "I001", None),
    # -- passive voice (I003) ---------------------------------------------------------------
    (STEP, "The receipt is printed.", "I003", "Print the receipt."),
    (STEP, "The receipt is printed at the till.", "I003", "Print the receipt at the till."),
    # was wrong: "Sign the form must."
    (STEP, "The form must be signed.", "I003", "Sign the form."),
    # was wrong: "Check the receipt should."
    (STEP, "The receipt should be checked.", "I003", "Check the receipt."),
    # was wrong: "Refuse the refund can.": "can" offers an option, not an order.
    (STEP, "The refund can be refused.", "I003", None),
    # The manager acts, not the reader.
    (STEP, "The form should be signed by the manager.", "I003", None),
    # was wrong: "Log the return in." drops the inline code a rewrite is made without.
    (STEP, "The return is logged in `POS`.", "I003", None),
    (STEP, "The form is filed in the [shared drive](https://example.org/forms).", "I003", None),
    # A second clause would be left as it was: "Print the receipt and you hand it ...".
    (STEP, "The receipt is printed, and you hand it to the customer.", "I003", None),
    # -- future tense (P002): the subject stays and the verb agrees with it -----------------
    (PARAGRAPH, "The clerks will check the receipt.", "P002", "check"),
    (PARAGRAPH, "The system will print a receipt.", "P002", "prints"),
    (PARAGRAPH, "The clerk will not refund cash.", "P002", None),
    # The verb agrees with the head of the subject, not the nearest noun.
    (PARAGRAPH, "Parcels left at the front desk will be returned to the depot.", "P002", "are"),
    (
        PARAGRAPH,
        "All other requests coming from the web shop will be sent to the queue.",
        "P002",
        "are",
    ),
    (PARAGRAPH, "Drivers should phone ahead, but will need to wait at the gate.", "P002", "need"),
    (PARAGRAPH, "The north and south depots will close at six.", "P002", "close"),
    (PARAGRAPH, "The POS terminal will print two copies.", "P002", "prints"),
    # -- past tense (P001) ------------------------------------------------------------------
    (PARAGRAPH, "The clerk checked the receipt.", "P001", "checks"),
    (PARAGRAPH, "The clerks checked the receipt.", "P001", "check"),
    (PARAGRAPH, "When the customer arrived, the clerk greeted them.", "P001", "greets"),
    (PARAGRAPH, "The receipt was printed by the clerk.", "P001", "is"),
    (STEP, "Checked the receipt.", "P001", "Check"),
    (PARAGRAPH, "The backup job failed because the disk was full.", "P001", "fails"),
    (PARAGRAPH, "Once the transfer finished, the checksum matched.", "P001", "matches"),
    (
        PARAGRAPH,
        "Users reported slow transfers, so the admin restarted the gateway.",
        "P001",
        "report",
    ),
    # was wrong ("wants"): the subject is the noun phrase after "and", not the sentence's.
    (
        PARAGRAPH,
        "The shop is busy on Saturdays and many customers will want a gift receipt.",
        "P002",
        "want",
    ),
    (PARAGRAPH, "After the update the evening reports will start to differ.", "P002", "start"),
    # was wrong ("see"): the subject inside "you'll" stays.
    (PARAGRAPH, "Once logged in, you'll see the dashboard.", "P002", "you see"),
    # was wrong ("departs ... climb ... return"): every verb would need the new form.
    (PARAGRAPH, "Trucks will leave the depot, load at the dock and return.", "P002", None),
    # was wrong ("is adding"): the progressive future is the simple present.
    (PARAGRAPH, "The manager will be adding new codes every month.", "P002", "adds"),
    # The writer's adverb stays, so no rewrite; "further" is not the verb ("furthers").
    (PARAGRAPH, "The card reader will further check the PIN.", "P002", None),
    # An acronym's plural is plural; "aircraft" may be one or many: no rewrite.
    (PARAGRAPH, "ATMs will be out of service during the upgrade.", "P002", "are"),
    (PARAGRAPH, "IFR aircraft will be cleared to the field.", "P002", None),
    # A relative clause and brackets hide the subject's number: no rewrite.
    (
        PARAGRAPH,
        "Parcels that arrive after closing (after six) will be returned to the depot.",
        "P002",
        None,
    ),
]

NOT_FLAGGED = [
    # A verb of the trade the lexicon does not know, before "the": an instruction.
    (STEP, "Cordon the node so that no new pods are scheduled on it.", "I002"),
    # A dated paragraph records what happened then: a revision note, an incident timeline.
    (PARAGRAPH, "Last reviewed 2024-06-01. The backup commands were updated.", "P001"),
    (PARAGRAPH, "At 02:14 the storage cluster reported three disks down.", "P001"),
    # A future in a relative or subordinate clause speaks of a consequence, and a
    # question asks about what is to come: both are right as written.
    (PARAGRAPH, "List the orders that will be cancelled if the supplier closes.", "P002"),
    (PARAGRAPH, "Do not restart the till now, as it will affect the evening report.", "P002"),
    (PARAGRAPH, "How many parcels will arrive tomorrow?", "P002"),
    # was wrong: "Show the new size.": a result to expect, not a duty.
    (STEP, "A volume group should now show the new size.", "I001"),
    (STEP, "The screen should display the order number.", "I001"),
    (STEP, "You should now see the login page.", "I001"),
    (STEP, "You should now see the login page.", "I002"),
    (STEP, "The page should load within a second.", "I002"),
    # An option, not an obligation.
    (STEP, "You can also use the web form.", "I001"),
    # Past tense that is correct where it stands.
    (STEP, "Open the zone you just created.", "P001"),
    (STEP, "Delete the file that was uploaded.", "P001"),
    (STEP, "If the build failed, restart it.", "P001"),
    (STEP, "Once you have logged in, open the queue.", "P001"),
    (PARAGRAPH, "What was the root cause?", "P001"),
    (STEP, "Make sure only one record was updated.", "P001"),
    (STEP, "Verify that the job completed.", "P001"),
    (STEP, "Confirm the package was signed.", "P001"),
    (PARAGRAPH, "If the key did exist, the check would pass.", "P001"),
    (PARAGRAPH, "In 2019 the team moved the builds to a new server.", "P001"),
    (PARAGRAPH, "Enter the password you chose earlier.", "P001"),
    (PARAGRAPH, "List any changes you made to the form.", "P001"),
    (STEP, "Check whether the job was killed by the scheduler.", "P001"),
    (PARAGRAPH, "Files that were deleted by mistake can be restored from the snapshot.", "P001"),
    (STEP, "If the job was preempted, resubmit it.", "P001"),
    (PARAGRAPH, "We moved the cluster to the new scheduler last spring.", "P001"),
    (PARAGRAPH, "For example, the clerk refunded the voucher in cash.", "P001"),
    (PARAGRAPH, "The option was removed in version 3.", "P001"),
    # Steps that already instruct.
    (STEP, "(Optional) Run the cleanup script.", "I002"),
    (STEP, "(If needed) restart the service.", "I002"),
    (STEP, "After five minutes, check the log.", "I002"),
    (STEP, "Once the build completes, tag the release.", "I002"),
    (STEP, "When the customer arrives, greet them.", "I002"),
    (STEP, "Then restart the service.", "I002"),
    (STEP, "Finally, close the ticket.", "I002"),
    (STEP, "Log the return in the register.", "I002"),
    (STEP, "Email the manager.", "I002"),
    (STEP, "Ping the host.", "I002"),
    (STEP, "Scan the barcode.", "I002"),
    # One of a list of conditions, not a step written wrongly.
    (STEP, "if the customer paid by gift card", "I002"),
    # A state after "be", not an action.
    (STEP, "Admin rights are required to sign packages.", "I003"),
    (PARAGRAPH, "The spare keys are located in the safe.", "I003"),
]


def findings(text: str, step: bool, rule: str) -> list:
    body = f"## Procedure\n\n1. {text}" if step else text
    markdown = f"---\nlang: en\n---\n# SOP\n\n{body}\n"
    return [f for f in check_text(markdown, config=parse_config({})) if f.rule == rule]


@pytest.mark.parametrize(("step", "text", "rule", "rewrite"), REWRITES)
def test_the_rewrite_is_exactly_right_or_absent(step, text, rule, rewrite):
    [finding] = findings(text, step, rule)
    if rewrite is None:
        assert "write \u201c" not in finding.message and ": \u201c" not in finding.message
        assert finding.suggestion is None or "Replace" not in finding.suggestion
    else:
        assert f"\u201c{rewrite}\u201d" in finding.message


@pytest.mark.parametrize(("step", "text", "rule"), NOT_FLAGGED)
def test_correct_text_is_not_flagged(step, text, rule):
    assert findings(text, step, rule) == []


def test_a_reported_clause_keeps_its_own_subject_and_staff_may_be_one_or_many():
    findings = check_text("This SOP explained how staff took back a product.", lang="en")
    [explained, took] = [f for f in findings if f.rule == "P001"]
    assert "write \u201cexplains\u201d" in explained.message  # "This SOP": singular
    assert "write" not in took.message  # was "takes": "staff" is one person or many
