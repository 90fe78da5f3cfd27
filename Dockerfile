# Control Center: build the runnable jar, then run it as a non-root user.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY application.properties .
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
# curl: the Kubernetes probes (deploy/kubernetes/deployment.yaml) call /observe/health/* with the API token
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin controlcenter
WORKDIR /app
COPY --from=build /src/target/control-center.jar control-center.jar
# routes/ and application.properties stay outside the jar so operators can edit or mount them
COPY routes routes
COPY application.properties .
RUN mkdir -p /app/data && chown controlcenter /app/data
# the embedded PostgreSQL, and in it the device identity the gateways approved: keep it across containers
VOLUME ["/app/data"]
USER controlcenter
# inside a container the API must listen beyond loopback to be reachable
ENV CC_BIND=0.0.0.0 CC_PORT=8080
EXPOSE 8080
# heap capped as in the README (BENCHMARKS.md: memory)
ENTRYPOINT ["java", "-Xmx256m", "-jar", "control-center.jar"]
