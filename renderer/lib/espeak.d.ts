// What the kiosk's name voice uses of espeak-ng's Emscripten build, and the build's list of its data files.
declare module '@echogarden/espeak-ng-emscripten' {
  export interface EspeakEngine {
    set_voice(name: string): number;
    set_rate(wordsPerMinute: number): number;
    get_samplerate(): number;
    /** Calls back with each chunk of 16-bit samples; a true return stops the synthesis. */
    synthesize(text: string, onChunk: (samples: Int16Array) => boolean): void;
  }
  export interface EspeakModule {
    FS: { writeFile(path: string, data: Uint8Array): void };
    eSpeakNGWorker: new () => EspeakEngine;
  }
  export default function createEspeak(options?: {
    getPreloadedPackage?: (name: string, size: number) => ArrayBuffer;
  }): Promise<EspeakModule>;
}

declare module 'virtual:espeak-mandarin' {
  /** Each data file's path under espeak-ng-data, and its URL. */
  const files: Record<string, string>;
  export default files;
}
