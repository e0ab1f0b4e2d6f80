import pino from 'pino';

// Personal data and secrets never reach the logs: these paths are censored wherever they appear.
const REDACT = [
  'pin',
  'token',
  'auth',
  'secret',
  'idNumber',
  'idNote',
  'nationality',
  'phone',
  'name',
  'input',
  '*.pin',
  '*.token',
  '*.auth',
  '*.secret',
  '*.idNumber',
  '*.idNote',
  '*.nationality',
  '*.phone',
  '*.name',
  '*.input',
  'req.headers.authorization',
];

export type Logger = pino.Logger;

/** The logger every node uses; `destination` (default stdout) lets a test read what would be written. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, destination);
}
