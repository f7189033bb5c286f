{{/* Chart name, shortened to the 63 characters DNS names allow. */}}
{{- define "portao.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of the release's resources: <release>-<chart>, or the release name alone when it already contains the
chart name.
*/}}
{{- define "portao.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* chart label value: name-version. */}}
{{- define "portao.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource. */}}
{{- define "portao.labels" -}}
helm.sh/chart: {{ include "portao.chart" . }}
{{ include "portao.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: portao
{{- end }}

{{/* Labels that select the gateway pods: never change them, a Deployment's selector is immutable. */}}
{{- define "portao.selectorLabels" -}}
app.kubernetes.io/name: {{ include "portao.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The ServiceAccount the pods run as. */}}
{{- define "portao.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "portao.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding tls.crt and tls.key. */}}
{{- define "portao.tlsSecretName" -}}
{{- .Values.tls.existingSecret | default (printf "%s-tls" (include "portao.fullname" .)) }}
{{- end }}

{{/* Public Service port: 443 with TLS, 80 without, unless set. */}}
{{- define "portao.servicePort" -}}
{{- if .Values.service.port }}{{ .Values.service.port }}{{ else if .Values.tls.enabled }}443{{ else }}80{{ end }}
{{- end }}

{{/* Namespaces whose Services Kubernetes discovery watches. */}}
{{- define "portao.discoveryNamespaces" -}}
{{- $namespaces := .Values.discovery.kubernetes.namespaces | default (list .Release.Namespace) }}
{{- toJson $namespaces }}
{{- end }}

{{/*
The gateway's application.yml, before `config` is merged over it. Only what the values decide: everything else
is the jar's own default (src/main/resources/application.yml).
*/}}
{{- define "portao.applicationConfig" -}}
server:
  port: {{ .Values.containerPorts.http }}
  {{- if .Values.tls.enabled }}
  ssl:
    bundle: web
  {{- end }}
management:
  server:
    port: {{ .Values.containerPorts.management }}
    # The kubelet's probes and Prometheus come from outside the pod: the jar's default (127.0.0.1) would refuse
    # them. The NetworkPolicy limits who reaches this port.
    address: 0.0.0.0
spring:
  lifecycle:
    timeout-per-shutdown-phase: {{ .Values.lifecycle.shutdownTimeoutSeconds }}s
  web:
    resources:
      static-locations: {{ printf "file:%s/static/" (.Values.staticFiles.mountPath | trimSuffix "/") }}
  {{- if .Values.tls.enabled }}
  ssl:
    bundle:
      pem:
        web:
          reload-on-update: true
          keystore:
            certificate: {{ printf "file:%s/tls.crt" (.Values.tls.mountPath | trimSuffix "/") }}
            private-key: {{ printf "file:%s/tls.key" (.Values.tls.mountPath | trimSuffix "/") }}
            verify-keys: true
  {{- end }}
  cloud:
    {{- $static := dict }}
    {{- range $name, $upstream := .Values.upstreams }}
    {{- if $upstream.instances }}
    {{- $_ := set $static $name $upstream.instances }}
    {{- end }}
    {{- end }}
    {{- if $static }}
    discovery:
      client:
        simple:
          instances:
            {{- toYaml $static | nindent 12 }}
    {{- end }}
    {{- if .Values.discovery.kubernetes.enabled }}
    kubernetes:
      discovery:
        namespaces:
          {{- include "portao.discoveryNamespaces" . | fromJsonArray | toYaml | nindent 10 }}
    loadbalancer:
      cache:
        ttl: {{ .Values.discovery.kubernetes.cacheTtl }}
    {{- end }}
    gateway:
      server:
        webflux:
          routes:
            {{- toYaml .Values.routes | nindent 12 }}
{{- $policies := dict }}
{{- range $name, $upstream := .Values.upstreams }}
{{- $policy := omit $upstream "instances" }}
{{- if $policy }}
{{- $_ := set $policies $name $policy }}
{{- end }}
{{- end }}
portao:
  static-files:
    expires-max-on-query: {{ .Values.staticFiles.expiresMaxOnQuery }}
    version-check: {{ .Values.staticFiles.versionCheck }}
  {{- if and .Values.tls.enabled .Values.tls.redirect.enabled }}
  tls:
    redirect-port: {{ .Values.tls.redirect.containerPort }}
  {{- end }}
  {{- if $policies }}
  upstreams:
    {{- toYaml $policies | nindent 4 }}
  {{- end }}
{{- end }}

{{/* Checks across values that the schema cannot express; each stops the install with the value to change. */}}
{{- define "portao.validate" -}}
{{- $lc := .Values.lifecycle }}
{{- if le (int $lc.terminationGracePeriodSeconds) (add $lc.preStopSleepSeconds $lc.shutdownTimeoutSeconds | int) }}
{{- fail (printf "lifecycle.terminationGracePeriodSeconds: %v (expected: more than preStopSleepSeconds + shutdownTimeoutSeconds = %v, or the kubelet kills requests still draining)" $lc.terminationGracePeriodSeconds (add $lc.preStopSleepSeconds $lc.shutdownTimeoutSeconds)) }}
{{- end }}
{{- if and .Values.tls.enabled (not .Values.tls.existingSecret) (or (not .Values.tls.certificate) (not .Values.tls.privateKey)) }}
{{- fail "tls.enabled: true (expected: tls.existingSecret, or both tls.certificate and tls.privateKey)" }}
{{- end }}
{{- if and .Values.tls.redirect.enabled (not .Values.tls.enabled) }}
{{- fail "tls.redirect.enabled: true (expected: only with tls.enabled, the redirect points to https://)" }}
{{- end }}
{{- if and .Values.networkPolicy.enabled .Values.metrics.serviceMonitor.enabled (not .Values.networkPolicy.managementFrom) }}
{{- fail "networkPolicy.managementFrom: empty (expected: the peers Prometheus scrapes from, e.g. [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]: with metrics.serviceMonitor.enabled the NetworkPolicy would otherwise block every scrape)" }}
{{- end }}
{{- range $name, $upstream := .Values.upstreams }}
{{- if and (not $upstream.instances) (not $.Values.discovery.kubernetes.enabled) }}
{{- fail (printf "upstreams.%s.instances: empty (expected: at least one instance, or discovery.kubernetes.enabled to use the Service %s)" $name $name) }}
{{- end }}
{{- end }}
{{- end }}
