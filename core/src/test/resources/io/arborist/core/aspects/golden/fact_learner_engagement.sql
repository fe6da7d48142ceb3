{{ config(materialized="view", schema="reporting") }}
-- custom model built on xapi.responses (this comment must stay as written)
/* block comment naming reporting.fact_navigation stays too */
with responses as (
    select actor_id, course_key, success
    from {{ ref('responses') }}
), grades as (
    select * from {{ ref("fact_learner_course_grade") }}
), names as (
    select course_key, course_name from {{ source('event_sink', 'course_names') }}
)
select
    r.actor_id,
    n.course_name,
    'xapi.responses is a string literal' as note,
    g.grade
from responses r
join names n on n.course_key = r.course_key
left join `reporting`.`fact_learner_course_status` s on s.actor_id = r.actor_id
left join "xapi"."section_video_engagement" sv on sv.actor_id = r.actor_id
left join reporting.fact_navigation nav on nav.actor_id = r.actor_id
left join {{ ref('int_problem_hints') }} h on h.actor_id = r.actor_id
where r.actor_id != '' and xapi.responses.success = 1
