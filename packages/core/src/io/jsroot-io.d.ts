// jsroot ships no typings for its subpath exports; these are the two functions JetLens uses.
declare module 'jsroot/io' {
  export function openFile(path: string): Promise<unknown>;
  export function R__unzip(
    view: DataView,
    rawSize: number,
    noAlert?: boolean,
    sourceShift?: number,
  ): Promise<DataView | null>;
}
