package io.funnelflow.service.security;

import io.funnelflow.contract.credential.Credential;
import io.funnelflow.contract.credential.Scope;
import io.funnelflow.contract.credential.Secrets;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRuleResult;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AccessPolicyTest {

    final AccessRule rule = new AccessRule(List.of("/api/track", "/demo/**"));
    final Authentication read = Authentication.build("tok_r", Scope.READ.roles());
    final Authentication admin = Authentication.build("tok_a", Scope.ADMIN.roles());

    SecurityRuleResult check(HttpRequest<?> request, Authentication who) {
        return Mono.from(rule.check(request, who)).block();
    }

    @Test
    void readsNeedReadAndEverythingElseAdmin() {
        assertThat(check(HttpRequest.GET("/api/funnel"), null)).isEqualTo(SecurityRuleResult.REJECTED);
        assertThat(check(HttpRequest.GET("/api/funnel"), read)).isEqualTo(SecurityRuleResult.ALLOWED);
        assertThat(check(HttpRequest.HEAD("/api/funnel"), read)).isEqualTo(SecurityRuleResult.ALLOWED);
        assertThat(check(HttpRequest.POST("/api/funnels", "{}"), read)).isEqualTo(SecurityRuleResult.REJECTED);
        assertThat(check(HttpRequest.DELETE("/api/users/u1"), read)).isEqualTo(SecurityRuleResult.REJECTED);
        assertThat(check(HttpRequest.POST("/api/funnels", "{}"), admin)).isEqualTo(SecurityRuleResult.ALLOWED);
        assertThat(check(HttpRequest.GET("/anything/added/later"), null)).isEqualTo(SecurityRuleResult.REJECTED);
    }

    @Test
    void onlyHealthAndTheDeclaredPathsArePublic() {
        assertThat(check(HttpRequest.GET("/health"), null)).isEqualTo(SecurityRuleResult.ALLOWED);
        assertThat(check(HttpRequest.GET("/health/liveness"), null)).isEqualTo(SecurityRuleResult.ALLOWED);
        assertThat(check(HttpRequest.POST("/api/track", "{}"), null)).isEqualTo(SecurityRuleResult.ALLOWED);
        assertThat(check(HttpRequest.GET("/demo/store.js"), null)).isEqualTo(SecurityRuleResult.ALLOWED);
        assertThat(check(HttpRequest.POST("/api/tracking", "{}"), null)).isEqualTo(SecurityRuleResult.REJECTED);
        assertThat(check(HttpRequest.GET("/healthz"), null)).isEqualTo(SecurityRuleResult.REJECTED);
    }

    @Test
    void tokensAreFoundByHashAndARevocationEndsThem() {
        Credentials credentials = new Credentials(" ff_env_admin ,");
        assertThat(credentials.apiToken("ff_env_admin")).hasValueSatisfying(c -> assertThat(c.scope()).isEqualTo(Scope.ADMIN));
        assertThat(credentials.apiToken("ff_env_admin ")).isEmpty();

        String secret = Secrets.newSecret(Credential.Kind.API_TOKEN);
        Credential stored = Credential.issue(Credential.Kind.API_TOKEN, Scope.READ, "ci", secret, Instant.now());
        credentials.apply(stored.id(), stored);
        assertThat(credentials.apiToken(secret)).contains(stored);
        assertThat(credentials.writeKey(secret)).isEmpty();
        assertThat(credentials.isActive(stored.id())).isTrue();

        credentials.apply(stored.id(), stored.revoke(Instant.now()));
        assertThat(credentials.apiToken(secret)).isEmpty();
        assertThat(credentials.isActive(stored.id())).isFalse();

        credentials.apply(stored.id(), null);
        assertThat(credentials.stored()).isEmpty();
        assertThat(credentials.isActive(Secrets.idOf(Credential.Kind.API_TOKEN, Secrets.sha256("ff_env_admin")))).isTrue();
    }

    @Test
    void aTokenAuthenticatesWithItsScopesRoles() {
        Credentials credentials = new Credentials("");
        String secret = Secrets.newSecret(Credential.Kind.API_TOKEN);
        Credential stored = Credential.issue(Credential.Kind.API_TOKEN, Scope.READ, "wall", secret, Instant.now());
        credentials.apply(stored.id(), stored);
        ApiTokenValidator validator = new ApiTokenValidator(credentials);
        Authentication who = Mono.from(validator.validateToken(secret, null)).block();
        assertThat(who.getName()).isEqualTo(stored.id());
        assertThat(who.getRoles()).containsExactly("read");
        assertThat(Mono.from(validator.validateToken("ff_at_unknown", null)).blockOptional()).isEmpty();
    }

    @Test
    void servicesCallEachOtherWithTheServiceTokenElseTheFirstAdminToken() {
        assertThat(new ServiceToken("svc", "a,b").authorization()).hasValue("Bearer svc");
        assertThat(new ServiceToken("", " a , b").authorization()).hasValue("Bearer a");
        assertThat(new ServiceToken("", "").authorization()).isEmpty();
    }
}
