// What the HTTP server is built from: its own file, so the feature route plugins it registers (labRoutes) need not import the server.
import type { LabService } from '../lab/labService';
import type { Limits } from '../limits/limits';
import type { Logger } from '../log';
import type { AccessTokens } from '../security/accessTokens';
import type { Pins } from '../security/pins';
import type { ResidentCrypto } from '../security/residentCrypto';
import type { Store } from '../store/store';
import type { WritePipeline } from '../write/writePipeline';
import type { HttpTimeouts } from './timeouts';

export interface HttpDeps {
  store: Store;
  /** Every feature's writes (lab). */
  pipeline: WritePipeline;
  crypto: ResidentCrypto;
  /** The lab's rules (boxes, results, retests), one for the staff's routes and a resident's own result. */
  lab: LabService;
  tokens: AccessTokens;
  pins: Pins;
  logger: Logger;
  /** Where every limit is counted (shared by all nodes with Redis). */
  limits: Limits;
  /** The site's time zone, for dates in file names and on every page. */
  siteTz: string;
  /** A demo server: the pages say so. */
  demo: boolean;
  /** The built renderer (dist/renderer); pages are not served when it is missing. */
  staticDir: string;
  /** How long clients may take (tests shorten them). */
  timeouts?: HttpTimeouts;
  /** Where roster uploads are saved while they are read (server/roster/savedUpload.ts uploadsDir). */
  uploadsDir: string;
}
