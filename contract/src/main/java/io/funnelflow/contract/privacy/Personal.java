package io.funnelflow.contract.privacy;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a property that identifies a person or says something about one (user ids, anonymous and
 * visitor ids, identify traits, e-mail addresses). HTTP answers write it only for callers with the
 * {@code admin} scope; for others it is left out and the answer names it among the withheld fields.
 * Topics and tables keep it: they are not answers to a caller.
 *
 * <p>On a record component it reaches the accessor, the field and the constructor parameter alike.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Personal {
}
