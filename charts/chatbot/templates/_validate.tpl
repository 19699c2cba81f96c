{{/*
Rules that span several values, which values.schema.json cannot say clearly. The same rules
as core's resolveCanaryOptions (the CLI and the action), each naming the value and the fix.
*/}}
{{- define "chatbot.validate" -}}
{{- $name := include "chatbot.name" . -}}
{{- if or (not (regexMatch "^[a-z]([-a-z0-9]*[a-z0-9])?$" $name)) (gt (len $name) 55) -}}
{{- fail (printf "name %q cannot name a Canary: Flagger derives Services %q and %q from it. Use lowercase letters, digits and '-', starting with a letter, at most 55 characters (set name, or pick another release name)." $name (printf "%s-primary" $name) (printf "%s-canary" $name)) -}}
{{- end -}}
{{- $a := .Values.analysis -}}
{{- include "chatbot.validateRouting" . -}}
{{- if eq .Values.strategy "blue-green" -}}
{{- range $key := list "stepWeight" "maxWeight" "stepWeights" -}}
{{- if hasKey $a $key -}}
{{- fail (printf "analysis.%s is only for strategy: canary; blue-green switches all traffic after analysis.iterations runs. Drop analysis.%s, or set strategy: canary." $key $key) -}}
{{- end -}}
{{- end -}}
{{- else -}}
{{- if hasKey $a "iterations" -}}
{{- fail "analysis.iterations is only for strategy: blue-green; a canary moves by analysis.stepWeight or analysis.stepWeights. Set strategy: blue-green, or drop analysis.iterations." -}}
{{- end -}}
{{- if hasKey $a "stepWeights" -}}
{{- if hasKey $a "stepWeight" -}}
{{- fail "analysis.stepWeights cannot be combined with analysis.stepWeight. Give either analysis.stepWeight (with analysis.maxWeight) or analysis.stepWeights." -}}
{{- end -}}
{{- if hasKey $a "maxWeight" -}}
{{- fail "analysis.maxWeight cannot be combined with analysis.stepWeights: the last step is the maximum weight. Drop analysis.maxWeight, or end analysis.stepWeights at the weight you want." -}}
{{- end -}}
{{- $previous := 0 -}}
{{- range $step := $a.stepWeights -}}
{{- if le (int $step) $previous -}}
{{- fail (printf "analysis.stepWeights must rise step by step, got %s. For example [5, 10, 25, 50]." (toJson $a.stepWeights)) -}}
{{- end -}}
{{- $previous = int $step -}}
{{- end -}}
{{- else -}}
{{- $step := int ($a.stepWeight | default 10) -}}
{{- $max := int ($a.maxWeight | default 50) -}}
{{- if lt $max $step -}}
{{- fail (printf "analysis.maxWeight must be at least analysis.stepWeight (%d), got %d. Raise analysis.maxWeight or lower analysis.stepWeight." $step $max) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- /* Flagger never runs the analysis more often than every 10s (GetAnalysisInterval). */ -}}
{{- $minutes := regexReplaceAll "^(?:([0-9]+)m)?(?:([0-9]+)s)?$" $a.interval "${1}" | default "0" | int -}}
{{- $seconds := regexReplaceAll "^(?:([0-9]+)m)?(?:([0-9]+)s)?$" $a.interval "${2}" | default "0" | int -}}
{{- if lt (add (mul $minutes 60) $seconds) 10 -}}
{{- fail (printf "analysis.interval must be at least 10s, got %s: Flagger treats shorter intervals as 10s." $a.interval) -}}
{{- end -}}
{{- /* After the options' own rules, as core checks options before it renders. */ -}}
{{- if and (eq .Values.strategy "blue-green") (not .Values.probes.conversations) -}}
{{- fail (printf "strategy: blue-green needs a probe for function %q: it sends no user traffic to the new version, so without one Flagger finds no metrics and rolls it back. Give function %q conversations in probes.conversations, as docs/probes.md shows, or use strategy: canary." $name $name) -}}
{{- end -}}
{{- /* core's probes/run-size.ts: a run is every turn, probes.rounds times, at most 200 requests. */ -}}
{{- $turns := 0 -}}
{{- range $c := .Values.probes.conversations -}}
{{- $turns = add $turns (len $c.turns) -}}
{{- end -}}
{{- $rounds := int .Values.probes.rounds -}}
{{- if gt (mul $turns $rounds) 200 -}}
{{- fail (printf "probes.rounds: is %d, and with it a run sends %d requests (%d turn%s × %d round%s), more than the 200 one run may send. Lower it, e.g. probes.rounds: %d, or shorten the function's conversations in probes.conversations" $rounds (mul $turns $rounds) $turns (ternary "" "s" (eq $turns 1)) $rounds (ternary "" "s" (eq $rounds 1)) (max 1 (div 200 $turns))) -}}
{{- end -}}
{{- range $c := .Values.probes.conversations -}}
{{- range $t := $c.turns -}}
{{- if not (or $t.expect.contains $t.expect.matches) -}}
{{- fail (printf "probes.conversations %q has a turn whose expect checks nothing the bot said. Add contains: (a text the reply must include) or matches: (a regular expression it must match)." $c.name) -}}
{{- end -}}
{{- if and (or (hasKey $t "slackCommand") (hasKey $t "slackEvent")) (not $.Values.probes.signingSecret.secret) -}}
{{- fail (printf "probes.conversations %q has a Slack turn, signed as Slack signs it, and probes.signingSecret is not set. Set probes.signingSecret: {secret: <name>, key: <key>}, the Secret in the release's namespace and the key holding the bot's Slack signing secret." $c.name) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Testers first and sticky conversations, as core's resolve-routing.ts. */}}
{{- define "chatbot.validateRouting" -}}
{{- $a := .Values.analysis -}}
{{- $t := $a.testers | default dict -}}
{{- $sticky := ($a.sessionAffinity | default dict).cookieName -}}
{{- $linkerd := eq (include "chatbot.provider" .) "linkerd" -}}
{{- $by := ternary "analysis.testers.header" "analysis.testers.cookie" (not (empty $t.header)) -}}
{{- if or $t.header $t.cookie -}}
{{- if $linkerd -}}
{{- fail (printf "%s needs provider: gatewayapi: Flagger's linkerd provider writes an SMI TrafficSplit, which routes by weight alone. Set provider: gatewayapi (HTTPRoute), or drop %s." $by $by) -}}
{{- end -}}
{{- with $t.header -}}
{{- $value := trimPrefix (printf "%s=" (regexFind "^[^=]+" .)) . -}}
{{- if hasPrefix "~" $value -}}
{{- $_ := mustRegexMatch (trimPrefix "~" $value) "" -}}
{{- end -}}
{{- end -}}
{{- if eq .Values.strategy "blue-green" -}}
{{- fail (printf "strategy: blue-green cannot be combined with %s: Flagger runs testers first (A/B testing) as a strategy of its own, promoting after analysis.testers.iterations runs; it does not go on to a canary or blue/green. Set strategy: canary to send the testers first and then promote, or drop %s." $by $by) -}}
{{- end -}}
{{- range $key := list "stepWeight" "maxWeight" "stepWeights" "iterations" -}}
{{- if hasKey $a $key -}}
{{- fail (printf "analysis.%s cannot be combined with %s: Flagger runs testers first (A/B testing) as a strategy of its own, promoting after analysis.testers.iterations runs. Drop analysis.%s, or drop %s." $key $by $key $by) -}}
{{- end -}}
{{- end -}}
{{- if $sticky -}}
{{- fail (printf "analysis.sessionAffinity.cookieName cannot be combined with %s: a tester's every request reaches the new version already. Drop analysis.sessionAffinity." $by) -}}
{{- end -}}
{{- else if $t.iterations -}}
{{- fail "analysis.testers.iterations is only used with analysis.testers.header or analysis.testers.cookie. Mark the testers, e.g. analysis.testers.header: X-Slack-Team-Id=T0123, or drop it." -}}
{{- end -}}
{{- if $sticky -}}
{{- if $linkerd -}}
{{- fail "analysis.sessionAffinity.cookieName needs provider: gatewayapi: Flagger's linkerd provider writes an SMI TrafficSplit, which routes by weight alone. Set provider: gatewayapi (HTTPRoute), or drop analysis.sessionAffinity." -}}
{{- end -}}
{{- if eq .Values.strategy "blue-green" -}}
{{- fail "analysis.sessionAffinity.cookieName is only for strategy: canary: blue/green switches every client at once, so no conversation is split. Drop analysis.sessionAffinity, or set strategy: canary." -}}
{{- end -}}
{{- else if ($a.sessionAffinity | default dict).maxAge -}}
{{- fail "analysis.sessionAffinity.maxAge is only used with analysis.sessionAffinity.cookieName. Name the cookie, e.g. cookieName: greenlight-version, or drop maxAge." -}}
{{- end -}}
{{- end -}}
