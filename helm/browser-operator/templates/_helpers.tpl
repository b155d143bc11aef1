{{- define "browser-operator.labels" -}}
app.kubernetes.io/name: browser-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{- define "browser-operator.selector" -}}
app.kubernetes.io/name: browser-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "browser-operator.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
