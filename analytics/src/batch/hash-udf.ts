import { type DuckDBConnection, DuckDBScalarFunction, VARCHAR } from '@duckdb/node-api';
import { hash64Hex } from '../sketches/index.ts';

/**
 * `xxh64_hex(s)`: the sketches' `hash64` as 16 lowercase hex digits, computed by the same
 * JavaScript function the speed layer calls, so both layers hash alike by construction. DuckDB's
 * own `hash()` is not xxHash64 and may change between versions. DuckDB hands the function a
 * chunk of up to 2,048 values per call (NULLs never reach it).
 */
export function registerHashFunctions(connection: DuckDBConnection): void {
  connection.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: 'xxh64_hex',
      mainFunction: (_info, input, output) => {
        const values = input.getColumnVector(0);
        for (let row = 0; row < input.rowCount; row++) output.setItem(row, hash64Hex(values.getItem(row) as string));
        output.flush();
      },
      returnType: VARCHAR,
      parameterTypes: [VARCHAR],
    }),
  );
}
