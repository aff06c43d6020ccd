import { readFile } from 'node:fs/promises';
import { text } from '@aic/connector-core';
import { CliError, CliErrorCode } from './cli-error.js';

/**
 * Reads a credentials file: a JSON object. Errors say which file and what is wrong, never what it
 * contains (`JSON.parse` messages quote the input, so they are not passed on).
 */
export async function readCredentialsFile(path: string): Promise<Record<string, unknown>> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new CliError(
      CliErrorCode.CredentialsFile,
      text(
        `No se pudo leer el archivo de credenciales ${path}${typeof code === 'string' ? ` (${code})` : ''}.`,
        `Could not read the credentials file ${path}${typeof code === 'string' ? ` (${code})` : ''}.`,
      ),
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    throw new CliError(
      CliErrorCode.CredentialsFile,
      text(
        `El archivo de credenciales ${path} no es JSON válido.`,
        `The credentials file ${path} is not valid JSON.`,
      ),
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CliError(
      CliErrorCode.CredentialsFile,
      text(
        `El archivo de credenciales ${path} debe contener un objeto JSON.`,
        `The credentials file ${path} must hold a JSON object.`,
      ),
    );
  }
  return parsed as Record<string, unknown>;
}
