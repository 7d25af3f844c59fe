"""Domain events: the immutable facts of vCIO Ledger, in the past tense.

Each event is declared here with typed fields and no logic, then aliased into its aggregate
(``aggregates.client:Client.AnswerRecorded``), which is the topic it is stored under.
"""
