package io.arborist.clickhouse;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/** A test run once per ClickHouse of {@link ClickHouseEngines}, which it receives as a {@link TestClickHouse} parameter. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(ClickHouseEngines.class)
public @interface EachEngine {
    /**
     * @return the first ClickHouse version ({@code major.minor}) that has the feature under test; engines older than
     *     that do not run the test (their refusal is tested where the feature is offered); empty for every engine
     */
    String since() default "";
}
