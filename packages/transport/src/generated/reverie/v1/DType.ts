// Original file: ../../protos/reverie/v1/tensor.proto

/**
 * Element type of a Tensor's bytes.
 */
export const DType = {
  DTYPE_UNSPECIFIED: 'DTYPE_UNSPECIFIED',
  DTYPE_FLOAT32: 'DTYPE_FLOAT32',
  DTYPE_FLOAT64: 'DTYPE_FLOAT64',
  DTYPE_INT32: 'DTYPE_INT32',
  DTYPE_INT64: 'DTYPE_INT64',
  DTYPE_UINT8: 'DTYPE_UINT8',
  /**
   * one byte per element, 0 or 1
   */
  DTYPE_BOOL: 'DTYPE_BOOL',
} as const;

/**
 * Element type of a Tensor's bytes.
 */
export type DType =
  | 'DTYPE_UNSPECIFIED'
  | 0
  | 'DTYPE_FLOAT32'
  | 1
  | 'DTYPE_FLOAT64'
  | 2
  | 'DTYPE_INT32'
  | 3
  | 'DTYPE_INT64'
  | 4
  | 'DTYPE_UINT8'
  | 5
  /**
   * one byte per element, 0 or 1
   */
  | 'DTYPE_BOOL'
  | 6

/**
 * Element type of a Tensor's bytes.
 */
export type DType__Output = typeof DType[keyof typeof DType]
