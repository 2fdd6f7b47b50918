package altinn

import "strings"

// PageProblem is one error the customer's approval page shows (Altinn's access-management
// frontend, AMUI codes): the customer reads the text, not the code, so both are kept, in
// bokmål and English, with what it means for the vendor and what to do.
type PageProblem struct {
	Code    string // AMUI-000NN
	TextNB  string // what the page says (bokmål)
	TextEN  string // what the page says (English)
	Meaning string
	Fixes   []string
}

// Who may approve, in Altinn's words: the roles the escalation and the role errors name.
const approvers = "Tilgangsstyrer (access manager), Hovedadministrator or Daglig leder"

// forward is the way out of a missing right since Altinn's escalation (2025-11).
const forward = "The customer can forward the request from the page («Ja, send videre»): it stays New, and someone with " + approvers + " approves it in Altinn."

// pageProblems are the approval page's codes: AMUI-000NN as mapped in
// altinn-access-management-frontend src/features/amUI/systemUser/errorHandling.ts, with the
// texts of src/localizations/no_nb.json and en.json (systemuser_delegation_errors and
// systemuser_request.load_request_*), at 04376dc1fd2c48144cc4b0dc02d3e2e4e596e876.
var pageProblems = []PageProblem{
	{Code: "AMUI-00001", TextNB: "En eller flere tjenester eksisterer ikke, eller er ikke delegerbare.",
		TextEN:  "One or more services do not exist, or cannot be delegated.",
		Meaning: "A right in the request names a resource that does not exist in this environment, or that its owner has not made delegable to system users (for example an Altinn app such as RF-1086).",
		Fixes: []string{"Check each right's resource in the Resource Registry (sbs-tui sandbox resource list shows the sandbox's); TT02 and production differ.",
			"Ask the service owner to make the resource delegable to system users, or request an access package that covers it instead.",
			"The customer cannot fix this: create a new request once the system's rights are right."}},
	{Code: "AMUI-00002", TextNB: "Kunne ikke delegere tjenester til systemtilgang.",
		TextEN:  "Could not delegate services to the system access.",
		Meaning: "Altinn failed while delegating the rights; nothing was created.",
		Fixes:   []string{"The customer tries again in a while; if it persists, report it to Altinn's service desk with the request id."}},
	{Code: "AMUI-00003", TextNB: "Kunne ikke opprette systemtilgang.",
		TextEN:  "Could not create system access.",
		Meaning: "Altinn could not create the system user after the approval.",
		Fixes:   []string{"The customer tries again; if it persists, report it to Altinn's service desk with the request id."}},
	{Code: "AMUI-00004", TextNB: "Kunne ikke opprette systemtilgang, eksisterende systemtilgang finnes allerede for valgt system.",
		TextEN:  "Could not create system access; existing system access already exists for the selected system.",
		Meaning: "The customer already has a system user for this system (and externalRef).",
		Fixes: []string{"Use the existing system user (sbs-tui users list), or ask for more with sbs-tui request change.",
			"For a second system user, create a request with another externalRef."}},
	{Code: "AMUI-00010", TextNB: "Systemtilgang-forespørsel for valgt aktør finnes ikke. Er du sikker på at du har valgt riktig aktør?",
		TextEN:  "System access request for chosen party does not exist. Are you certain that you have chosen correct party?",
		Meaning: "The page found no such request for the organisation the customer acts for: the customer chose another organisation, or the request was deleted, or the confirmUrl is for the other environment (TT02 vs production).",
		Fixes: []string{"The customer logs in again and chooses the organisation the request is for (partyOrgNo).",
			"Check the request still exists (sbs-tui request status) and send a confirmUrl of the same environment."}},
	{Code: "AMUI-00011", TextNB: "Valgt system finnes ikke",
		TextEN:  "Chosen system does not exist",
		Meaning: "The request's system is not in the system register any more (deleted, or another environment).",
		Fixes:   []string{"Register the system again (sbs-tui system register), then create a new request."}},
	{Code: "AMUI-00014", TextNB: "Delegering av tjenester feilet med ukjent feil.",
		TextEN:  "Delegation of services failed with an unknown error.",
		Meaning: "Altinn's delegation check failed for a reason it does not name.",
		Fixes:   []string{"The customer tries again; if it persists, report it to Altinn's service desk with the request id."}},
	{Code: "AMUI-00016", TextNB: "Delegering av tjenester feilet: Din rolle har ikke fullmakt til å delegere tjenester til systemtilgang.",
		TextEN:  "Delegation of services failed: your role does not have the rights to delegate services to system access.",
		Meaning: "The person who opened the page may not give these rights to a system user: approving needs " + approvers + ", and the rights themselves.",
		Fixes:   []string{forward, "Or someone with one of those roles opens the confirmUrl and approves."}},
	{Code: "AMUI-00018", TextNB: "Delegering av tjenester feilet: Du har ikke fullmakt til å direkte delegere tjenesten.",
		TextEN:  "Delegation of services failed: you do not have the rights to directly delegate the service.",
		Meaning: "The person holds the service but may not delegate it onward (no delegation access).",
		Fixes:   []string{forward, "Or the organisation's Hovedadministrator gives the person delegation access, then approves."}},
	{Code: "AMUI-00019", TextNB: "Delegering av tjenester feilet: En eller flere tjenester bruker tilgangslister der virksomhet ikke har tilgang.",
		TextEN:  "Delegation of services failed: one or more services use access lists where the organization does not have access.",
		Meaning: "A service is limited to the organisations on its access list (Resource Registry), and the customer is not on it.",
		Fixes:   []string{"The service owner (for Skatteetaten's APIs, Skatteetaten) must add the customer's organisation to the access list; the vendor asks them, then the customer approves again."}},
	{Code: "AMUI-00020", TextNB: "Delegering av tjenester feilet: En eller flere tjenester krever eksplisitt tilgangsnivå.",
		TextEN:  "Delegation of services failed: one or more services require an explicit access level.",
		Meaning: "A service needs a higher login level than the customer used.",
		Fixes:   []string{"The customer logs in with a high-level ID (BankID, Buypass, Commfides; not MinID) and approves again."}},
	{Code: "AMUI-00051", TextNB: "Delegering av tilgangspakker til systemtilgang feilet.",
		TextEN:  "Delegation of access packages to the system access failed.",
		Meaning: "Altinn failed while delegating the access packages.",
		Fixes:   []string{"The customer tries again; if it persists, report it to Altinn's service desk with the request id."}},
	{Code: "AMUI-00053", TextNB: "Du har ikke tilstrekkelige fullmakter for å delegere disse tilgangspakkene.",
		TextEN:  "You do not have sufficient access rights to delegate the requested access packages.",
		Meaning: "The person does not hold the requested access packages with the right to pass them on. For an agent (client) request the organisation itself must have the client role the package needs (for example Regnskapsfører in Enhetsregisteret).",
		Fixes:   []string{forward, "Check the packages: request only what the customer's role gives (sbs-tui explain AUTH-00079 for client packages)."}},
	{Code: "AMUI-00055", TextNB: "Kunne ikke hente delegerte tilgangspakker.",
		TextEN:  "Unable to retrieve delegated access packages.",
		Meaning: "A transient failure reading the packages already delegated.",
		Fixes:   []string{"The customer reloads the page and tries again."}},
	{Code: "AMUI-00057", TextNB: "Kunne ikke fjerne tilgangspakke-delegering for systemtilgang.",
		TextEN:  "Could not delete access package delegation for the system access.",
		Meaning: "Altinn could not remove a package from the system user (a change request's removal).",
		Fixes:   []string{"The customer tries again; if it persists, report it to Altinn's service desk."}},
	{Code: "AMUI-00066", TextNB: "Du har ikke tilstrekkelige fullmakter til å godkjenne denne systemtilgang-forespørselen",
		TextEN:  "You have insufficient permissions to approve this system access request",
		Meaning: "The person may see the request but not approve it.",
		Fixes:   []string{forward, "Or someone with " + approvers + " opens the confirmUrl."}},
	{Code: "AMUI-00068", TextNB: "Delegering av tjenester feilet: Du mangler fullmakt til nødvendige tilgangspakker.",
		TextEN:  "Delegation of services failed: you lack the necessary access packages for delegation.",
		Meaning: "The services in the request need access packages the person does not hold.",
		Fixes:   []string{forward, "Or someone holding those access packages (a Tilgangsstyrer who has them) approves."}},
	{Code: "AMUI-00069", TextNB: "Delegering av tjenester feilet: Mottakeren har ikke rettighet basert på delegasjon via tilgangsliste.",
		TextEN:  "Delegation of services failed: The receiver does not have the right based on Access List delegation.",
		Meaning: "The service is limited by an access list, and the system user's owner is not on it.",
		Fixes:   []string{"The service owner must add the customer's organisation to the resource's access list; then the customer approves again."}},
	{Code: "AMUI-00070", TextNB: "Delegering av tjenester feilet: Ressursen kan ikke delegeres til en annen bruker eller enhet.",
		TextEN:  "Delegation of services failed: The resource cannot be delegated to another user or entity.",
		Meaning: "The resource is not delegable at all: no one can give it to a system user.",
		Fixes:   []string{"Remove the right from system.json and register it again (sbs-tui system register --file system.json updates it), or use an access package that covers the API; ask the service owner if unsure."}},
	{Code: "AMUI-00071", TextNB: "Delegering av tjenester feilet: Ressursen kan ikke delegeres fordi den er en Maskinporten skjemaressurs.",
		TextEN:  "Delegation of services failed: The resource is not delegable because it is a Maskinporten schema resource.",
		Meaning: "The right names a Maskinporten schema resource (an API scope's delegation scheme), which is given through Maskinporten delegation, not to a system user.",
		Fixes:   []string{"Remove that right from the system; a system user reaches the API through the access packages and the scope on your own client."}},
}

// PageProblems lists the approval page's codes in catalogue order.
func PageProblems() []PageProblem { return append([]PageProblem(nil), pageProblems...) }

// PageProblemFor finds an approval-page code ("AMUI-00016", case-insensitive) or, since the
// customer reads out a text and not a code, a text of at least 12 characters found in one of
// the page's messages (bokmål or English, case-insensitive).
func PageProblemFor(q string) (PageProblem, bool) {
	q = strings.TrimSpace(q)
	for _, p := range pageProblems {
		if strings.EqualFold(p.Code, q) {
			return p, true
		}
	}
	if len([]rune(q)) < 12 {
		return PageProblem{}, false
	}
	lq := strings.ToLower(strings.TrimRight(q, ". "))
	for _, p := range pageProblems {
		if strings.Contains(strings.ToLower(p.TextNB), lq) || strings.Contains(strings.ToLower(p.TextEN), lq) {
			return p, true
		}
	}
	return PageProblem{}, false
}

// Escalation texts of the approval page (systemuser_request.escalate_*), for what the vendor
// tells the customer about a request that waits.
const (
	EscalateQuestionNB = "Du mangler nødvendig fullmakt. Vil du sende forespørselen videre til tilgangsstyrer i din virksomhet?"
	EscalateButtonNB   = "Ja, send videre"
	EscalatedNB        = "Forespørselen er videresendt. Tilgangsstyrer i virksomheten din skal nå ha fått forespørselen i Altinn."
	AlreadyEscalatedNB = "Denne forespørselen er allerede videresendt"
)

// EscalatedAdvice is what the vendor tells a customer whose request was forwarded: who
// approves it now, and where.
const EscalatedAdvice = "The customer forwarded the request to their Tilgangsstyrer: it stays New until someone with " + approvers + " approves it in Altinn (among «Ventende systemtilgang-forespørsler», or at the same confirmUrl)."

// WaitingAdvice is what to ask a customer whose request stays New: what the page said.
const WaitingAdvice = "Still New? Ask the customer what the page said: «" + EscalateQuestionNB + "» means they lack the role, and «" + EscalateButtonNB + "» forwards it to someone who has it; any other message: sbs-tui explain \"<the message>\"."
