"""The relay's batch query: PostgreSQL splices each envelope while it reads the log.

The database runs in its own process, so the splice of ``streaming.envelope.splice_envelope``
(tagged values made plain, the class version cut off, the stored bytes in base64, the
CloudEvents attributes around them) costs the relay's Python nothing: a row arrives with the
aggregate's key and the ready envelope bytes, and Python hands them to the producer.

The SQL does what the Python splice does, in the same order, or gives NULL, and the relay then
splices or decodes in Python as before; it never gives an envelope the Python splice would
not. It gives NULL more often (an event topic the relay has not told it about yet, an
object-valued ``_data_``, a class version written otherwise than as plain digits). The stored
bytes are read as LATIN1, one character per byte, and written back the same way: the
patterns only look at ASCII, so bytes outside it travel through untouched, and a state that
is not valid UTF-8 cannot make the query fail. Tested byte for byte against the envelope of
the decoded event (tests/integration/kafka/test_envelope_sql.py).
"""

from collections.abc import Iterable

from psycopg.sql import SQL, Composed, Identifier

from streaming.envelope import json_text, topic_texts

# Parameters: event topics, their type texts, topic texts, class versions (as text), the position
# after which to read, the batch size, and the source text. Braces are literal: no ``format``.
_BEFORE_TABLE = SQL(r"""
WITH known (topic, type_text, topic_text, class_version) AS (
  SELECT * FROM unnest(%s::text[], %s::bytea[], %s::bytea[], %s::text[])),
batch AS (
  SELECT notification_id, originator_id, originator_version, topic, state FROM public.""")
_AFTER_TABLE = SQL(r""" WHERE notification_id > %s ORDER BY notification_id LIMIT %s),
parsed AS (
  SELECT b.*, k.type_text, k.topic_text, k.class_version, s.t,
    regexp_match(s.t, '^\{"timestamp":\{"_type_":"datetime_iso","_data_":"([^"\\]*)"\}'
                      '(?:,"originator_topic":"[^"\\]*")?,"tenant":("[^"\\]*(?:\\.[^"\\]*)*")')
      AS head,
    regexp_replace(regexp_replace(s.t,
      '\{"_type_":"uuid_hex","_data_":"([^"\\]{8})([^"\\]{4})([^"\\]{4})([^"\\]{4})([^"\\]{12})"\}',
      '"\1-\2-\3-\4-\5"', 'g'),
      '\{"_type_":"(?:datetime_iso|decimal_str|date_iso|enum:[^"\\]*)","_data_":'
      '("[^"\\]*(?:\\.[^"\\]*)*"|-?[0-9]+)\}', '\1', 'g') AS data
  FROM batch b LEFT JOIN known k ON k.topic = b.topic
  CROSS JOIN LATERAL (SELECT CASE WHEN k.topic IS NOT NULL
                                   AND position('\x00'::bytea in b.state) = 0
                              THEN convert_from(b.state, 'LATIN1') END AS t) s),
cut AS (
  SELECT p.*, coalesce(v.m[1], '1') AS stored_version,
    CASE WHEN v.m IS NULL THEN left(p.data, -1)
         ELSE left(p.data, -(length(v.m[1]) + 18)) END AS body
  FROM parsed p
  CROSS JOIN LATERAL (SELECT regexp_match(p.data, ',"class_version":([0-9]+).$') AS m) v),
built AS (
SELECT notification_id, convert_to(originator_id::text, 'UTF8') AS key, originator_version, topic,
  state, CASE WHEN head IS NOT NULL AND position('\u0000' in t) = 0
        AND position('"_data_":{' in t) = 0 AND position('"_type_"' in data) = 0
        AND stored_version = class_version
  THEN convert_to(
    '{"specversion":"1.0","id":"' || originator_id::text || ':' || originator_version
    || '","source":' || convert_from(%s::bytea, 'LATIN1') || ',"type":'
    || convert_from(type_text, 'LATIN1') || ',"subject":"' || originator_id::text
    || '","time":"' || head[1] || '","datacontenttype":"application/json","tenant":' || head[2]
    || ',"position":"' || notification_id || '","vcioenvelope":"1","vciotopic":'
    || convert_from(topic_text, 'LATIN1') || ',"vciostate":"'
    || translate(encode(state, 'base64'), E'\n', '') || '","data":' || body
    || ',"originator_id":"' || originator_id::text || '","originator_version":'
    || originator_version || '}}', 'LATIN1') END AS envelope
FROM cut)
SELECT notification_id, key, originator_version, topic, envelope,
  CASE WHEN envelope IS NULL THEN state END
FROM built ORDER BY notification_id
""")


def batch_query(events_table: str) -> Composed:
    """The query of one batch: the rows after a position, each with its envelope or NULL."""
    return Composed([_BEFORE_TABLE, Identifier(events_table), _AFTER_TABLE])


def batch_parameters(topics: Iterable[str], source: str, position: int, limit: int
                     ) -> tuple[object, ...]:
    """The query's parameters: what the splice needs to know of each event topic known so far."""
    known = sorted(topics)
    texts = [topic_texts(topic) for topic in known]
    return (known, [t[0] for t in texts], [t[1] for t in texts], [str(t[2]) for t in texts],
            position, limit, json_text(source))
