{{ config(materialized="view", schema="reporting") }}
-- custom model built on xapi.responses (this comment must stay as written)
/* block comment naming reporting.fact_navigation stays too */
with responses as (
    select actor_id, course_key, success
    from {{ ref('dim_learner_response_attempt') }}
), grades as (
    select * from {{ ref("dim_learner_most_recent_course_grade") }}
), names as (
    select course_key, course_name from {{ source('event_sink', 'dim_course_names') }}
)
select
    r.actor_id,
    n.course_name,
    'xapi.responses is a string literal' as note,
    g.grade
from responses r
join names n on n.course_key = r.course_key
left join `reporting`.`dim_learner_most_recent_course_state` s on s.actor_id = r.actor_id
left join "reporting"."fact_section_video_engagement" sv on sv.actor_id = r.actor_id
left join reporting.fact_navigation nav on nav.actor_id = r.actor_id
left join {{ ref('int_problem_hints') }} h on h.actor_id = r.actor_id
where r.actor_id != '' and reporting.dim_learner_response_attempt.success = 1
