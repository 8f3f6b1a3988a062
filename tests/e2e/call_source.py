"""A three-step call written in the call editor by the browser journey: a violation (registering
without aptitude, or refusing an apt customer, as the facts decide), a mandatory check, and
enough wrong lines that no guessing bot passes it."""

CALL = """\
slug: religue-teste
module: promessa
title: Religue em confiança
summary: O cliente pede o religue; verifique a aptidão antes de registrar.
procedures: [regras]
persona:
  names: [Ana Souza]
  mood: calma
  segment: residencial
facts:
  - {name: dias, kind: int, label: Dias em aberto, min: 1, max: 9}
steps:
  - id: abertura
    customer: Meu sinal foi cortado, a fatura está aberta há {dias} dias. Dá para religar?
    choices:
      - id: registrar-direto
        say: Já registro o religue em confiança agora mesmo, a senhora não precisa esperar.
        behaviors: [TESTE.SEM_APTIDAO]
        next: fim
      - id: verificar
        say: Vou verificar no sistema se a senhora está apta ao religue antes de registrar.
        behaviors: [TESTE.APTO]
        next: decisao
      - id: recusar-direto
        say: Não consigo religar hoje, a senhora precisa pagar a fatura antes.
        behaviors:
          - {code: TESTE.RECUSA, when: "dias > 4"}
          - {code: TESTE.EXPLICAR, when: "dias <= 4"}
        next: fim
  - id: decisao
    customer: E então, dá para religar?
    choices:
      - id: registrar
        say: Registro o religue em confiança agora, e a senhora recebe o prazo por mensagem.
        behaviors:
          - {code: TESTE.REGISTRAR, when: "dias > 4"}
          - {code: TESTE.SEM_APTIDAO, when: "dias <= 4"}
        next: fim
      - id: recusar
        say: Ainda não é possível religar, a senhora precisa aguardar mais alguns dias.
        behaviors:
          - {code: TESTE.EXPLICAR, when: "dias <= 4"}
          - {code: TESTE.RECUSA, when: "dias > 4"}
        next: fim
      - id: consultar
        say: Um momento, senhora, vou consultar o sistema mais uma vez antes de responder.
        neutral: Consultar de novo não diz nada à cliente; a decisão continua por tomar.
        next: decisao
  - id: fim
    customer: Certo, obrigada.
    outcome: Atendimento encerrado.
rubric:
  items:
    - {id: verificar, section: compliance, kind: mandatory, behavior: TESTE.APTO}
    - {id: sem-aptidao, section: compliance, kind: critical, behavior: TESTE.SEM_APTIDAO}
    - {id: recusa, section: resolution, kind: critical, behavior: TESTE.RECUSA}
    - id: registrar
      section: resolution
      kind: required
      behavior: TESTE.REGISTRAR
      when: dias > 4
    - id: explicar
      section: resolution
      kind: required
      behavior: TESTE.EXPLICAR
      when: dias <= 4
"""

# The same call opened in the agent's own words: the first step is a typed reply.
CHAT_CALL = (
    CALL.replace("slug: religue-teste", "slug: chat-religue-teste")
    .replace("title: Religue em confiança", "title: 'Chat: religue em confiança'")
    .replace(
        """    choices:
      - id: registrar-direto
        say: Já registro o religue em confiança agora mesmo, a senhora não precisa esperar.
        behaviors: [TESTE.SEM_APTIDAO]
        next: fim
      - id: verificar
        say: Vou verificar no sistema se a senhora está apta ao religue antes de registrar.
        behaviors: [TESTE.APTO]
        next: decisao
      - id: recusar-direto
        say: Não consigo religar hoje, a senhora precisa pagar a fatura antes.
        behaviors:
          - {code: TESTE.RECUSA, when: "dias > 4"}
          - {code: TESTE.EXPLICAR, when: "dias <= 4"}
        next: fim
""",
        """    typed:
      concepts:
        - id: verificar
          label: Verificar a aptidão antes de registrar
          behaviors: [TESTE.APTO]
          phrasings: [verificar apta, verificar aptidão, conferir apta, conferir aptidão]
        - id: registrar-direto
          kind: forbidden
          label: Registrar sem verificar
          behaviors: [TESTE.SEM_APTIDAO]
          phrasings: [já registro, registro agora, registrado agora]
      next: decisao
      samples:
        - {reply: "Vou verificar no sistema se a senhora está apta ao religue.", expect: accepted}
        - {reply: "Já registro o religue agora mesmo para a senhora.", expect: rejected}
        - {reply: "Um momento, por favor.", expect: rejected}
""",
    )
)
