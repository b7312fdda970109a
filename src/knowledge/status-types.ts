// Return types whose values are status codes by definition: a function declared with one reports success or
// failure, whatever its body computes. (`int` is not one: it is as often a count, an index or a boolean.)
// Data with its source; read by the learner (learn.ts) and by the review's patch evidence (fallibility.ts).

export interface StatusType {
  type: string;
  /** The value that means success. */
  success: string;
  /** What a failure looks like, in words a witness can use. */
  failure: string;
  source: string;
}

export const STATUS_TYPES: readonly StatusType[] = [
  { type: 'TEE_Result', success: 'TEE_SUCCESS', failure: 'a TEE_ERROR_* code', source: 'GlobalPlatform TEE Internal Core API: TEE_Result, TEE_SUCCESS is 0' },
  { type: 'TEEC_Result', success: 'TEEC_SUCCESS', failure: 'a TEEC_ERROR_* code', source: 'GlobalPlatform TEE Client API: TEEC_Result' },
  { type: 'acpi_status', success: 'AE_OK', failure: 'an AE_* exception code', source: 'ACPICA acexcep.h: acpi_status, tested with ACPI_FAILURE()' },
  { type: 'efi_status_t', success: 'EFI_SUCCESS', failure: 'an EFI error status', source: 'UEFI specification, Appendix D: EFI_STATUS, tested with EFI_ERROR()' },
  { type: 'EFI_STATUS', success: 'EFI_SUCCESS', failure: 'an EFI error status', source: 'UEFI specification, Appendix D: EFI_STATUS, tested with EFI_ERROR()' },
];

/** The status type a declared return type is, if any. */
export function statusTypeOf(returnType: string | undefined): StatusType | undefined {
  if (!returnType) return undefined;
  const t = returnType.replace(/\bconst\b/g, '').trim();
  return STATUS_TYPES.find((s) => s.type === t);
}
