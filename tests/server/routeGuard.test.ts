import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { API, LAB_API } from '../../shared/apiPaths';
import { accessOf } from '../../server/http/routeGuard';

// The guard reads a route's roles by the path it was registered with, so a route with parameters
// finds its entry, and a guarded route missing from the table fails instead of letting anyone in.
describe('route guard', () => {
  const app = Fastify();
  app.get(API.buildings, async (req) => accessOf(req));
  app.post(LAB_API.boxTubes, async (req) => accessOf(req));
  app.get('/api/not-in-the-table', async (req) => accessOf(req));
  afterAll(() => app.close());

  it('finds the entry of a route, parameters and all', async () => {
    expect((await app.inject({ method: 'GET', url: API.buildings })).json()).toEqual(['staff']);
    expect((await app.inject({ method: 'POST', url: '/api/lab/boxes/BOX-7/tubes' })).json()).toEqual(['kiosk', 'staff']);
  });

  it('fails a guarded route the table does not list', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/not-in-the-table' });
    expect(res.statusCode).toBe(500);
    expect(res.json().message).toMatch(/no entry in ROUTE_PERMISSIONS/);
  });
});
