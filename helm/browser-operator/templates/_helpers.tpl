{{/* The chart's name, or nameOverride. */}}
{{- define "browser-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The name of this release's namespaced objects: fullnameOverride, else the release name if it holds the chart's
name, else <release>-<chart>.
*/}}
{{- define "browser-operator.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "browser-operator.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
The name of this release's cluster-scoped objects: release names are unique only within a namespace, so the
namespace is part of it (<fullname>.<namespace>; neither has dots), except where it is the fullname already.
*/}}
{{- define "browser-operator.clusterName" -}}
{{- $fullname := include "browser-operator.fullname" . -}}
{{- if eq $fullname .Release.Namespace -}}
{{- $fullname -}}
{{- else -}}
{{- printf "%s.%s" $fullname .Release.Namespace -}}
{{- end -}}
{{- end -}}

{{- define "browser-operator.labels" -}}
app.kubernetes.io/name: {{ include "browser-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "browser-operator.selector" -}}
app.kubernetes.io/name: {{ include "browser-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "browser-operator.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* The namespaces whose sessions this release runs; empty: all. */}}
{{- define "browser-operator.watchNamespaces" -}}
{{- join "," .Values.watchNamespaces -}}
{{- end -}}

{{/* The label every session pod carries (dev.browsers.operator.model.SessionLabels). */}}
{{- define "browser-operator.sessionPodSelector" -}}
app.kubernetes.io/managed-by: browser-operator
{{- end -}}

{{/*
A value for a .properties file that SmallRye Config reads back unchanged: backslashes doubled (the file format
unescapes them) and "$" escaped (SmallRye would expand ${...}).
*/}}
{{- define "browser-operator.propertyValue" -}}
{{- toString . | replace "\\" "\\\\" | replace "$" "\\$" -}}
{{- end -}}

{{/*
One browser class as browser-operator properties: (list <prefix> <class>). Every key other than resources and pod
(image, command, args, ...) passes through as it is, in kebab-case, lists as indexed properties; resources and pod
are mapped onto the operator's names.
*/}}
{{- define "browser-operator.browserClassProperties" -}}
{{- $prefix := index . 0 -}}
{{- $class := index . 1 -}}
{{- range $key, $value := omit $class "resources" "pod" }}
{{- if kindIs "slice" $value }}
{{- range $i, $item := $value }}
{{ $prefix }}.{{ kebabcase $key }}[{{ $i }}]={{ include "browser-operator.propertyValue" $item }}
{{- end }}
{{- else if not (kindIs "invalid" $value) }}
{{ $prefix }}.{{ kebabcase $key }}={{ include "browser-operator.propertyValue" $value }}
{{- end }}
{{- end }}
{{- with $class.resources }}
{{- with .requests }}
{{- with .cpu }}
{{ $prefix }}.resources.cpu-request={{ . }}
{{- end }}
{{- with .memory }}
{{ $prefix }}.resources.memory-request={{ . }}
{{- end }}
{{- end }}
{{- with .limits }}
{{- with .cpu }}
{{ $prefix }}.resources.cpu-limit={{ . }}
{{- end }}
{{- with .memory }}
{{ $prefix }}.resources.memory-limit={{ . }}
{{- end }}
{{- end }}
{{- with .tmpSizeLimit }}
{{ $prefix }}.resources.tmp-size-limit={{ . }}
{{- end }}
{{- end }}
{{- with $class.pod }}
{{- range $key, $value := .nodeSelector }}
{{ $prefix }}.pod.node-selector."{{ $key }}"={{ include "browser-operator.propertyValue" $value }}
{{- end }}
{{- with .tolerations }}
{{ $prefix }}.pod.tolerations={{ include "browser-operator.propertyValue" (toJson .) }}
{{- end }}
{{- with .affinity }}
{{ $prefix }}.pod.affinity={{ include "browser-operator.propertyValue" (toJson .) }}
{{- end }}
{{- with .topologySpreadConstraints }}
{{ $prefix }}.pod.topology-spread-constraints={{ include "browser-operator.propertyValue" (toJson .) }}
{{- end }}
{{- with .priorityClassName }}
{{ $prefix }}.pod.priority-class-name={{ . }}
{{- end }}
{{- with .runtimeClassName }}
{{ $prefix }}.pod.runtime-class-name={{ . }}
{{- end }}
{{- range $i, $secret := .imagePullSecrets }}
{{ $prefix }}.pod.image-pull-secrets[{{ $i }}]={{ $secret.name }}
{{- end }}
{{- range $key, $value := .labels }}
{{ $prefix }}.pod.labels."{{ $key }}"={{ include "browser-operator.propertyValue" $value }}
{{- end }}
{{- range $key, $value := .annotations }}
{{ $prefix }}.pod.annotations."{{ $key }}"={{ include "browser-operator.propertyValue" $value }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The rules the operator needs where sessions run (the CRD check is cluster-scoped and apart). */}}
{{- define "browser-operator.sessionRules" -}}
# Reconcile sessions; delete them after ttlAfterFinished; the REST API creates and releases them.
- apiGroups: [browsers.dev]
  resources: [browsersessions]
  verbs: [get, list, watch, delete{{ if .Values.restApi.enabled }}, create, patch{{ end }}]
- apiGroups: [browsers.dev]
  resources: [browsersessions/status]
  verbs: [patch]
# Warm pools: read, and their status written.
- apiGroups: [browsers.dev]
  resources: [browserpools]
  verbs: [get, list, watch]
- apiGroups: [browsers.dev]
  resources: [browserpools/status]
  verbs: [patch]
# Session pods: created once, deadline annotation patched, deleted when the session ends; a pool's warm pods are
# relabelled to the session that claims them (update, conditioned on their resourceVersion).
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch, create, update, patch, delete]
# Connection secrets (token, URL); context Secrets, read for spec.context.secretRef and written (get, create,
# update) for spec.context.saveToSecret{{ if .Values.restApi.enabled }}; REST API keys{{ end }}.
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, watch, create, update]
# An Event per transition; FailedCreate counts up on repeated refusals (get, then patch its count).
- apiGroups: [""]
  resources: [events]
  verbs: [create, get, patch]
# A quota that changes wakes the sessions it refused.
- apiGroups: [""]
  resources: [resourcequotas]
  verbs: [get, list, watch]
{{- end -}}

{{/* The operator SDK checks at start-up that the CRD is installed: one object, read only. */}}
{{- define "browser-operator.crdRule" -}}
- apiGroups: [apiextensions.k8s.io]
  resources: [customresourcedefinitions]
  resourceNames: [browsersessions.browsers.dev, browserpools.browsers.dev]
  verbs: [get]
{{- end -}}
