/** Image names every 2.x line shares (make/photon/prepare/templates/docker_compose/docker-compose.yml.jinja). */
export const HARBOR_IMAGES = {
  log: 'harbor-log',
  registry: 'registry-photon',
  registryctl: 'harbor-registryctl',
  postgresql: 'harbor-db',
  core: 'harbor-core',
  portal: 'harbor-portal',
  jobservice: 'harbor-jobservice',
  redis: 'redis-photon',
  proxy: 'nginx-photon',
  trivyAdapter: 'trivy-adapter-photon',
  exporter: 'harbor-exporter',
} as const;
