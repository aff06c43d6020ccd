// Types of tarballs.mjs, for its test (scripts/smoke/test/tarballs.test.ts).
export declare const REPOSITORY: string;

export interface PublishedPackage {
  readonly name: string;
  readonly version: string;
  /** `packages/<dir>`, relative to the repository root. */
  readonly directory: string;
}

export interface PackedPackage extends PublishedPackage {
  readonly tarball: string;
  readonly size: number;
  /** Where the tarball was unpacked (its `package/` directory). */
  readonly packageDir: string;
  /** Every file of the tarball, POSIX paths relative to `packageDir`. */
  readonly files: readonly string[];
  readonly manifest: Readonly<Record<string, unknown>>;
}

export declare function publishedPackages(root: string): Promise<PublishedPackage[]>;
export declare function packOne(
  root: string,
  pkg: PublishedPackage,
  dest: string,
  env: NodeJS.ProcessEnv,
): Promise<PackedPackage>;
export declare function expectedFloor(manifest: Readonly<Record<string, unknown>>): '22.19.0' | '22.20.0';
export declare function contentProblems(
  root: string,
  packed: Pick<PackedPackage, 'manifest' | 'files' | 'directory' | 'packageDir'>,
): Promise<string[]>;
export declare function publintProblems(packed: Pick<PackedPackage, 'tarball'>): Promise<string[]>;
export declare function attwProblems(root: string, packed: Pick<PackedPackage, 'tarball'>): Promise<string[]>;
