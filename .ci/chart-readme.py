# Regenerates helm/portao/README.md from the "# --" comments of helm/portao/values.yaml (helm-docs style); run from
# the repository root: python3 .ci/chart-readme.py. HelmChartTests fails when the README misses a documented value.
import yaml, json, re
lines=open('helm/portao/values.yaml').read().split('\n')
values=yaml.safe_load(open('helm/portao/values.yaml'))
stack=[]; desc=None; rows=[]
for line in lines:
    t=line.strip()
    if t.startswith('# --'):
        desc=t[4:].strip(); continue
    if t.startswith('#'):
        if desc is not None: desc+=' '+t[1:].strip()
        continue
    if not t or t.startswith('- ') or ':' not in t:
        continue
    indent=len(line)-len(line.lstrip())
    key=t.split(':',1)[0].strip().strip('"')
    while stack and stack[-1][0]>=indent: stack.pop()
    stack.append((indent,key))
    if desc is not None:
        path='.'.join(k for _,k in stack)
        node=values
        for _,k in stack: node=node[k]
        default=json.dumps(node, ensure_ascii=False)
        rows.append((path,default,desc))
        desc=None
out=['# Portão Helm chart','',
 'Deploys Portão, the reactive edge gateway that replaces "nginx in front of N app instances", with its',
 'configuration generated from these values. How to install it, push the image and wire TLS, discovery and',
 'monitoring: [docs/kubernetes.md](../../docs/kubernetes.md). Alerting rules: `files/portao-alerts.yml`; the Grafana',
 'dashboard: `files/portao-dashboard.json`.','',
 '`image.repository` must name an image your cluster can pull: build it (`docker build -t REGISTRY/portao:0.1.0 .`),',
 'push it, and set `image.repository: REGISTRY/portao`.','',
 '## Values','',
 'Generated from the `# --` comments of `values.yaml` by `python3 .ci/chart-readme.py` (`HelmChartTests` fails when a value is missing here).','',
 '| Key | Default | Description |','|---|---|---|']
for path,default,desc in rows:
    d=default.replace('|','\\|')
    if len(d)>60: d=d[:57]+'…'
    dd=desc.replace('|','\\|')
    out.append('| `'+path+'` | `'+d+'` | '+dd+' |')
open('helm/portao/README.md','w').write('\n'.join(out)+'\n')
print(len(rows))
