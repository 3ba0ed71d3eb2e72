package dev.relay.gateway.server;

import dev.relay.service.config.EnvConfig;
import dev.relay.service.logging.InstanceId;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's {@link OpenTelemetry}: the no-op instance unless {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT} is set, then an SDK that exports spans over OTLP/HTTP to {@code
 * <endpoint>/v1/traces} in batches, sampling by the parent's flag. Tests replace this bean.
 */
@Factory
@Requires(property = "relay.gateway.enabled", notEquals = "false")
public class TracingFactory {

  private static final Logger LOG = LoggerFactory.getLogger(TracingFactory.class);

  @Singleton
  OpenTelemetry openTelemetry(EnvConfig config) {
    return config
        .get("OTEL_EXPORTER_OTLP_ENDPOINT")
        .<OpenTelemetry>map(TracingFactory::otlp)
        .orElse(OpenTelemetry.noop());
  }

  private static OpenTelemetry otlp(String endpoint) {
    String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    LOG.info("tracing: exporting delivery spans to {}/v1/traces", base);
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.of(
                        AttributeKey.stringKey("service.name"),
                        "relay-gateway",
                        AttributeKey.stringKey("service.instance.id"),
                        InstanceId.current())));
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(resource)
            .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
            .addSpanProcessor(
                BatchSpanProcessor.builder(
                        OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces").build())
                    .build())
            .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
    Runtime.getRuntime().addShutdownHook(new Thread(sdk::close, "relay-otel-shutdown"));
    return sdk;
  }
}
